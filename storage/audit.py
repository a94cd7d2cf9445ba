"""The audit trail of privileged actions: who, what, on which object, never any content."""

from __future__ import annotations

from storage.database import Database, now_iso
from storage.vault import new_id


class Audit:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, actor: str, action: str, target: str | None = None, detail: str | None = None
    ) -> None:
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO audit (id, at, actor, action, target, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (new_id(), now_iso(), actor, action, target, detail),
            )
