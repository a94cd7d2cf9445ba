"""What reaches the disk: no narrative, no Telegram id, no pepper, in the database, its WAL or a
backup. These tests read the raw bytes of the files."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

from storage import Store
from storage.store import db_path
from storage.vault import new_code
from tests.storage.factories import incident, journey

NARRATIVES = [
    "Quand j'ai dit mon nom, Benali, l'agent a raccroché en disant que c'était loué.",
    "La gardienne m'a crié dessus parce que je porte le voile, devant mes enfants.",
    "Le propriétaire a refusé mon dossier car je touche le RSA et l'APL.",
]
USER_IDS = [7294618053, 6120457789, 5187346620]
CHAT_IDS = [-100987654321, 8123456789, 9988776655]


def _files(data_dir: Path) -> dict[str, bytes]:
    db = db_path(data_dir)
    found = {}
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def _needles() -> list[bytes]:
    found: list[bytes] = []
    for text in NARRATIVES:
        found.append(text.encode())
        found.extend(w.encode() for w in text.split() if len(w) > 6)  # any long word alone
    for number in USER_IDS + CHAT_IDS:
        found.append(str(number).encode())
        found.append(str(abs(number)).encode())
        found.append(number.to_bytes(8, "little", signed=True))
        found.append(number.to_bytes(8, "big", signed=True))
    return found


async def _fill(store: Store) -> None:
    for i, text in enumerate(NARRATIVES):
        await store.journeys.save(
            journey(incident(text, excerpt=text), contact=f"joignable au {USER_IDS[i]}"),
            new_code(),
        )
        await store.participants.ensure(user_id=USER_IDS[i], chat_id=CHAT_IDS[i])
        await store.drafts.save(USER_IDS[i], {"story": text}, timedelta(days=1))
        await store.attempts.record("receipt", USER_IDS[i])


async def test_no_clear_text_in_database_wal_or_backup(store: Store, data_dir: Path) -> None:
    await _fill(store)
    files = _files(data_dir)
    assert "vecus.db-wal" in files  # the WAL is live while the bot runs: check it too
    backup = data_dir.parent / "backup.db"
    await store.db.backup(backup)
    files["backup"] = backup.read_bytes()
    pepper = store.keys.pepper
    needles = [*_needles(), pepper, base64.b64encode(pepper), pepper.hex().encode()]
    for name, content in files.items():
        for needle in needles:
            assert needle not in content, (name, needle[:30])
    # Sanity: the same scan does find what is stored in clear (codes for aggregation).
    assert b"origine" in files["backup"] and b"prive" in files["backup"]


async def test_deleted_journey_leaves_no_trace_on_disk(store: Store, data_dir: Path) -> None:
    receipt = new_code()
    await store.journeys.save(journey(incident("x")), receipt)
    row = await store.db.fetchone("SELECT narrative_sealed FROM incidents")
    sealed = bytes(row[0])
    assert await store.journeys.delete(receipt)
    assert await store.journeys.find(receipt) is None
    await store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for content in _files(data_dir).values():
        assert sealed[-40:] not in content
