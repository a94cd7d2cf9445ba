"""Journeys and their incidents: saved in one transaction, exactly once, found by receipt code.

Exactly-once rests on unique constraints (the receipt's hash for a journey, a submission key's hash
for an added incident), so it holds with several bot processes and on PostgreSQL too.
"""

from __future__ import annotations

import json
import sqlite3

import aiosqlite

from storage.clock import Clock
from storage.database import Database
from storage.records import (
    Attachment,
    GroundChoice,
    IncidentIn,
    IncidentView,
    JourneyIn,
    JourneyView,
)
from storage.vault import Vault, new_id


def pack_attachment(att: Attachment) -> bytes:
    """One sealed blob per file: a small JSON header, then the bytes."""
    header = json.dumps({"kind": att.kind, "filename": att.filename, "mime": att.mime}).encode()
    return len(header).to_bytes(4, "big") + header + att.data


def unpack_attachment(blob: bytes) -> Attachment:
    size = int.from_bytes(blob[:4], "big")
    header = json.loads(blob[4 : 4 + size])
    return Attachment(header["kind"], header["filename"], header["mime"], blob[4 + size :])


class Journeys:
    def __init__(self, db: Database, vault: Vault, clock: Clock) -> None:
        self.db, self.vault, self.clock = db, vault, clock

    async def save(self, journey: JourneyIn, receipt: str) -> tuple[str, bool]:
        """Store a journey and its incidents; (id, False) if this receipt was already saved."""
        receipt_hash = self.vault.code_hash("receipt", receipt)
        today = self.clock.today()
        jid = new_id()
        contact = (
            self.vault.encrypt("journeys", "contact_enc", jid, journey.contact)
            if journey.contact
            else None
        )
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "INSERT INTO journeys (id, receipt_hash, territory_id, sector, relation, source,"
                " relayed_by, relay_consent, lang, household, qpv, reported_elsewhere,"
                " contact_request, contact_enc, excerpt_consent, week, created_on, updated_on)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING id",
                (
                    jid,
                    receipt_hash,
                    journey.territory_id,
                    journey.sector,
                    journey.relation,
                    journey.source,
                    journey.relayed_by,
                    None if journey.relay_consent is None else int(journey.relay_consent),
                    journey.lang,
                    journey.household,
                    journey.qpv,
                    ",".join(journey.reported_elsewhere) or None,
                    int(journey.contact_request),
                    contact,
                    int(journey.excerpt_consent),
                    self.clock.week(today),
                    today.isoformat(),
                    today.isoformat(),
                ),
            )
            if await cur.fetchone() is None:
                cur = await conn.execute(
                    "SELECT id FROM journeys WHERE receipt_hash = ?", (receipt_hash,)
                )
                return (await cur.fetchone())[0], False
            for position, incident in enumerate(journey.incidents, start=1):
                await self._insert_incident(
                    conn, jid, position, incident, journey.excerpt_consent, None
                )
        return jid, True

    async def add_incident(self, receipt: str, incident: IncidentIn, submission_key: str) -> bool:
        """Add one incident to the journey of this receipt; False if already added (same key)."""
        receipt_hash = self.vault.code_hash("receipt", receipt)
        submission = self.vault.pseudonym("submission", submission_key)
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "SELECT id, excerpt_consent FROM journeys WHERE receipt_hash = ?", (receipt_hash,)
            )
            row = await cur.fetchone()
            if row is None:
                raise LookupError("no journey for this receipt")
            cur = await conn.execute(
                "SELECT 1 FROM incidents WHERE submission_hash = ?", (submission,)
            )
            if await cur.fetchone() is not None:
                return False
            cur = await conn.execute(
                "SELECT COALESCE(MAX(position), 0) FROM incidents WHERE journey_id = ?", (row[0],)
            )
            position = (await cur.fetchone())[0] + 1
            await self._insert_incident(conn, row[0], position, incident, bool(row[1]), submission)
            await conn.execute(
                "UPDATE journeys SET updated_on = ? WHERE id = ?",
                (self.clock.today().isoformat(), row[0]),
            )
        return True

    async def _insert_incident(
        self,
        conn: aiosqlite.Connection,
        journey_id: str,
        position: int,
        incident: IncidentIn,
        excerpt_consent: bool,
        submission: bytes | None,
    ) -> None:
        iid = new_id()
        today = self.clock.today()
        narrative = (
            self.vault.seal("incidents", "narrative_sealed", iid, incident.narrative)
            if incident.narrative
            else None
        )
        excerpt = (
            self.vault.encrypt("incidents", "excerpt_enc", iid, incident.excerpt)
            if incident.excerpt and excerpt_consent
            else None
        )
        await conn.execute(
            "INSERT INTO incidents (id, journey_id, position, step, happened, actor,"
            " organisation_id, evidence, narrative_sealed, excerpt_enc, submission_hash, week,"
            " created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                iid,
                journey_id,
                position,
                incident.step,
                incident.happened,
                incident.actor,
                incident.organisation_id,
                incident.evidence,
                narrative,
                excerpt,
                submission,
                self.clock.week(today),
                today.isoformat(),
            ),
        )
        await conn.executemany(
            "INSERT INTO incident_grounds (incident_id, ground, suggested, confirmed)"
            " VALUES (?, ?, ?, ?)",
            [(iid, g.code, int(g.suggested), int(g.confirmed)) for g in incident.grounds],
        )
        for att in incident.attachments:
            aid = new_id()
            await conn.execute(
                "INSERT INTO attachments (id, incident_id, kind, content_sealed, created_on)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    aid,
                    iid,
                    att.kind,
                    self.vault.seal("attachments", "content_sealed", aid, pack_attachment(att)),
                    today.isoformat(),
                ),
            )

    async def find(self, receipt: str) -> JourneyView | None:
        """What the server can read back: codes and consented excerpts, never the narrative."""
        row = await self.db.fetchone(
            "SELECT * FROM journeys WHERE receipt_hash = ?",
            (self.vault.code_hash("receipt", receipt),),
        )
        return None if row is None else await self._view(row)

    async def get(self, journey_id: str) -> JourneyView | None:
        row = await self.db.fetchone("SELECT * FROM journeys WHERE id = ?", (journey_id,))
        return None if row is None else await self._view(row)

    async def _view(self, row: sqlite3.Row) -> JourneyView:
        jid = row["id"]
        incidents = await self.db.fetchall(
            "SELECT i.*, o.name AS organisation,"
            " (SELECT COUNT(*) FROM attachments a WHERE a.incident_id = i.id) AS attachments"
            " FROM incidents i LEFT JOIN organisations o ON o.id = i.organisation_id"
            " WHERE i.journey_id = ? ORDER BY i.position",
            (jid,),
        )
        grounds = await self.db.fetchall(
            "SELECT g.* FROM incident_grounds g JOIN incidents i ON i.id = g.incident_id"
            " WHERE i.journey_id = ? ORDER BY g.ground",
            (jid,),
        )
        by_incident: dict[str, list[GroundChoice]] = {}
        for g in grounds:
            by_incident.setdefault(g["incident_id"], []).append(
                GroundChoice(g["ground"], bool(g["suggested"]), bool(g["confirmed"]))
            )
        views = tuple(
            IncidentView(
                id=i["id"],
                position=i["position"],
                step=i["step"],
                happened=i["happened"],
                actor=i["actor"],
                organisation=i["organisation"],
                evidence=i["evidence"],
                excerpt=self._open("incidents", "excerpt_enc", i["id"], i["excerpt_enc"]),
                grounds=tuple(by_incident.get(i["id"], ())),
                sealed=i["narrative_sealed"] is not None,
                attachments=i["attachments"],
            )
            for i in incidents
        )
        return JourneyView(
            id=jid,
            territory_id=row["territory_id"],
            sector=row["sector"],
            relation=row["relation"],
            source=row["source"],
            lang=row["lang"],
            household=row["household"],
            qpv=row["qpv"],
            reported_elsewhere=tuple(filter(None, (row["reported_elsewhere"] or "").split(","))),
            contact_request=bool(row["contact_request"]),
            contact=self._open("journeys", "contact_enc", jid, row["contact_enc"]),
            excerpt_consent=bool(row["excerpt_consent"]),
            created_on=row["created_on"],
            incidents=views,
        )

    def _open(self, table: str, column: str, row_id: str, blob: bytes | None) -> str | None:
        return None if blob is None else self.vault.decrypt_text(table, column, row_id, blob)

    async def delete(self, receipt: str) -> bool:
        """Delete a journey with all it holds (incidents, grounds, files): really, on disk too."""
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "DELETE FROM journeys WHERE receipt_hash = ?",
                (self.vault.code_hash("receipt", receipt),),
            )
            return cur.rowcount > 0

    async def purge_before(self, day: str) -> int:
        """Retention: delete journeys last updated before `day` (YYYY-MM-DD)."""
        async with self.db.tx() as conn:
            cur = await conn.execute("DELETE FROM journeys WHERE updated_on < ?", (day,))
            return cur.rowcount

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM journeys")
        return row[0]
