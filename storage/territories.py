"""Territories, their organisations (landlords, reservation holders, agencies, associations) and
their own wording of the vocabulary."""

from __future__ import annotations

import sqlite3

from storage.clock import Clock
from storage.database import Database, now_iso
from storage.records import Organisation, Territory
from storage.vault import new_id

ORGANISATION_KINDS = ("bailleur", "reservataire", "agence", "association", "guichet")


def _territory(row: sqlite3.Row) -> Territory:
    return Territory(row["id"], row["code"], row["name_fr"], row["name_en"], bool(row["active"]))


class Territories:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    async def create(self, code: str, name_fr: str, name_en: str | None = None) -> Territory:
        if not code.isascii() or not code.replace("-", "").replace("_", "").isalnum():
            raise ValueError("territory code must be ASCII letters, digits, - or _")
        tid = new_id()
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO territories (id, code, name_fr, name_en, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (tid, code, name_fr, name_en or name_fr, now_iso()),
            )
        return Territory(tid, code, name_fr, name_en or name_fr, True)

    async def list(self, *, active_only: bool = True) -> list[Territory]:
        sql = "SELECT * FROM territories"
        if active_only:
            sql += " WHERE active = 1"
        return [_territory(r) for r in await self.db.fetchall(sql + " ORDER BY name_fr")]

    async def get(self, territory_id: str) -> Territory | None:
        row = await self.db.fetchone("SELECT * FROM territories WHERE id = ?", (territory_id,))
        return None if row is None else _territory(row)

    async def by_code(self, code: str) -> Territory | None:
        row = await self.db.fetchone("SELECT * FROM territories WHERE code = ?", (code,))
        return None if row is None else _territory(row)

    async def add_organisation(
        self, territory_id: str, kind: str, name: str, contact: str | None = None
    ) -> Organisation:
        if kind not in ORGANISATION_KINDS:
            raise ValueError(f"organisation kind must be one of {ORGANISATION_KINDS}")
        oid = new_id()
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO organisations (id, territory_id, kind, name, contact)"
                " VALUES (?, ?, ?, ?, ?)",
                (oid, territory_id, kind, name, contact),
            )
        return Organisation(oid, territory_id, kind, name, contact)

    async def organisations(
        self, territory_id: str, kinds: tuple[str, ...] = ORGANISATION_KINDS
    ) -> list[Organisation]:
        marks = ", ".join("?" for _ in kinds)
        rows = await self.db.fetchall(
            f"SELECT * FROM organisations WHERE territory_id = ? AND active = 1"
            f" AND kind IN ({marks}) ORDER BY kind, name",
            (territory_id, *kinds),
        )
        return [
            Organisation(r["id"], r["territory_id"], r["kind"], r["name"], r["contact"])
            for r in rows
        ]

    async def set_label(
        self, territory_id: str, vocabulary: str, code: str, lang: str, label: str
    ) -> None:
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO labels (territory_id, vocabulary, code, lang, label)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (territory_id, vocabulary, code, lang)"
                " DO UPDATE SET label = excluded.label",
                (territory_id, vocabulary, code, lang, label),
            )

    async def labels(self, territory_id: str, lang: str) -> dict[tuple[str, str], str]:
        rows = await self.db.fetchall(
            "SELECT vocabulary, code, label FROM labels WHERE territory_id = ? AND lang = ?",
            (territory_id, lang),
        )
        return {(r["vocabulary"], r["code"]): r["label"] for r in rows}
