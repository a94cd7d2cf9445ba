"""Offline reading of sealed narratives by the data controller.

Needs only a copy of the database and the controller's private key: not the server's key ring,
not a running bot. Opens the file read-only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from storage.crypto import CryptoError, Unsealer, field_aad

COLUMNS = (
    "journey",
    "territory",
    "sector",
    "source",
    "reported_on",
    "incident",
    "step",
    "happened",
    "evidence",
    "grounds",
    "narrative",
)


def read_narratives(
    db_file: Path,
    unsealer: Unsealer,
    territory: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """One row per incident, narrative decrypted; `territory` is a code, dates YYYY-MM-DD."""
    if not Path(db_file).is_file():
        raise FileNotFoundError(f"La base {db_file} est introuvable.")
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        sql = (
            "SELECT j.id AS journey, t.code AS territory, j.sector, j.source, j.created_on,"
            " i.id AS incident_id, i.position, i.step, i.happened, i.evidence, i.narrative_sealed"
            " FROM incidents i JOIN journeys j ON j.id = i.journey_id"
            " LEFT JOIN territories t ON t.id = j.territory_id WHERE 1 = 1"
        )
        params: list[str] = []
        for clause, value in (
            (" AND t.code = ?", territory),
            (" AND i.created_on >= ?", since),
            (" AND i.created_on <= ?", until),
        ):
            if value:
                sql += clause
                params.append(value)
        rows = conn.execute(sql + " ORDER BY i.created_on, j.id, i.position", params).fetchall()
        grounds: dict[str, list[str]] = {}
        for incident_id, ground in conn.execute(
            "SELECT incident_id, ground FROM incident_grounds WHERE confirmed = 1 ORDER BY ground"
        ):
            grounds.setdefault(incident_id, []).append(ground)
    finally:
        conn.close()
    out = []
    for r in rows:
        narrative = ""
        if r["narrative_sealed"] is not None:
            aad = field_aad("incidents", "narrative_sealed", r["incident_id"])
            try:
                narrative = unsealer.open(r["narrative_sealed"], aad).decode()
            except CryptoError as exc:
                narrative = f"[illisible : {exc}]"
        out.append(
            {
                "journey": r["journey"],
                "territory": r["territory"],
                "sector": r["sector"],
                "source": r["source"],
                "reported_on": r["created_on"],
                "incident": r["position"],
                "step": r["step"],
                "happened": r["happened"],
                "evidence": r["evidence"],
                "grounds": " ".join(grounds.get(r["incident_id"], [])),
                "narrative": narrative,
            }
        )
    return out
