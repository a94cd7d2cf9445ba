"""What the flows need from the world, behind one small interface: storage, analysis, time.

`StoreServices` is the real one (storage + NLP worker); tests may pass any object with the same
methods. Nothing here knows about Telegram.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from nlp import Analysis, NlpWorker
from storage import IncidentIn, JourneyIn, JourneyView, Organisation, Store, Territory

RECEIPT_ATTEMPTS = 5  # wrong receipt codes allowed per person and hour
ATTEMPT_WINDOW = timedelta(hours=1)


class Services(Protocol):
    user: int  # the person's Telegram id: only ever turned into a pseudonym by storage

    def now(self) -> datetime: ...

    async def territories(self) -> list[Territory]: ...

    async def organisations(
        self, territory_id: str, kinds: tuple[str, ...]
    ) -> list[Organisation]: ...

    async def analyse(self, text: str) -> Analysis | None: ...

    async def save_journey(self, journey: JourneyIn, receipt: str) -> bool: ...

    async def add_incident(self, receipt: str, incident: IncidentIn, key: str) -> bool: ...

    async def find_journey(self, receipt: str) -> JourneyView | None: ...

    async def delete_journey(self, receipt: str) -> bool: ...

    async def guesses_left(self) -> int: ...

    async def wrong_guess(self) -> None: ...


class StoreServices:
    def __init__(self, store: Store, nlp: NlpWorker, user: int) -> None:
        self.store, self.nlp, self.user = store, nlp, user

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def territories(self) -> list[Territory]:
        return await self.store.territories.list()

    async def organisations(self, territory_id: str, kinds: tuple[str, ...]) -> list[Organisation]:
        return await self.store.territories.organisations(territory_id, kinds)

    async def analyse(self, text: str) -> Analysis | None:
        return await self.nlp.analyse(text)

    async def save_journey(self, journey: JourneyIn, receipt: str) -> bool:
        _, created = await self.store.journeys.save(journey, receipt)
        return created

    async def add_incident(self, receipt: str, incident: IncidentIn, key: str) -> bool:
        return await self.store.journeys.add_incident(receipt, incident, key)

    async def find_journey(self, receipt: str) -> JourneyView | None:
        return await self.store.journeys.find(receipt)

    async def delete_journey(self, receipt: str) -> bool:
        return await self.store.journeys.delete(receipt)

    async def guesses_left(self) -> int:
        used = await self.store.attempts.recent("receipt", self.user, ATTEMPT_WINDOW)
        return max(0, RECEIPT_ATTEMPTS - used)

    async def wrong_guess(self) -> None:
        await self.store.attempts.record("receipt", self.user)
