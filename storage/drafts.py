"""Drafts of unfinished conversations: encrypted, resumed after a restart, purged when stale."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from storage.clock import Clock
from storage.database import Database
from storage.vault import Vault


class Drafts:
    def __init__(self, db: Database, vault: Vault, clock: Clock) -> None:
        self.db, self.vault, self.clock = db, vault, clock

    def _owner(self, user_id: int) -> bytes:
        return self.vault.pseudonym("tg-user", user_id)

    async def save(self, user_id: int, state: dict[str, Any], ttl: timedelta) -> None:
        owner = self._owner(user_id)
        blob = self.vault.encrypt("drafts", "state_enc", owner.hex(), json.dumps(state))
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO drafts (owner, state_enc, updated_at, expires_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (owner) DO UPDATE SET state_enc = excluded.state_enc,"
                " updated_at = excluded.updated_at, expires_at = excluded.expires_at",
                (owner, blob, self.clock.stamp(), self.clock.stamp(ttl)),
            )

    async def load(self, user_id: int) -> dict[str, Any] | None:
        owner = self._owner(user_id)
        row = await self.db.fetchone(
            "SELECT state_enc, expires_at FROM drafts WHERE owner = ?", (owner,)
        )
        if row is None or row["expires_at"] <= self.clock.stamp():
            return None
        return json.loads(self.vault.decrypt("drafts", "state_enc", owner.hex(), row["state_enc"]))

    async def delete(self, user_id: int) -> None:
        async with self.db.tx() as conn:
            await conn.execute("DELETE FROM drafts WHERE owner = ?", (self._owner(user_id),))

    async def purge_expired(self) -> int:
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "DELETE FROM drafts WHERE expires_at <= ?", (self.clock.stamp(),)
            )
            return cur.rowcount
