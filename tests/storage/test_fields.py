"""Every encrypted field round-trips, and refuses to open if altered, moved or under a wrong key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from storage import CryptoError, Store
from storage.crypto import KeyRing, Unsealer, field_aad, generate_controller_key
from storage.journeys import unpack_attachment
from storage.keys import load_unsealer
from storage.offline import read_narratives
from storage.store import db_path
from storage.vault import new_code
from tests.storage.factories import attachment, incident, journey


async def test_every_field_round_trips(store: Store, private_key_path: Path) -> None:
    receipt = new_code()
    jid, created = await store.journeys.save(
        journey(incident("Il m'a dit : pas d'étrangers.", attachments=(attachment(),))), receipt
    )
    assert created
    view = await store.journeys.find(receipt)
    assert view is not None and view.id == jid
    assert view.contact == "par message ici"
    assert view.incidents[0].excerpt == "On m'a dit que c'était déjà loué."
    assert view.incidents[0].sealed and view.incidents[0].attachments == 1
    assert {g.code for g in view.incidents[0].grounds} == {"origine", "patronyme"}

    participant = await store.participants.ensure(user_id=5551234567, chat_id=5551234567)
    assert await store.participants.chat_id(participant.id) == 5551234567

    await store.drafts.save(42, {"node": "story", "text": "brouillon"}, timedelta(days=1))
    assert await store.drafts.load(42) == {"node": "story", "text": "brouillon"}

    # Sealed parts open only offline, with the controller's private key.
    unsealer = load_unsealer([private_key_path])
    rows = read_narratives(db_path(store.db.path.parent), unsealer)
    assert [r["narrative"] for r in rows] == ["Il m'a dit : pas d'étrangers."]
    blob = await store.db.fetchone("SELECT id, content_sealed FROM attachments")
    packed = unsealer.open(blob[1], field_aad("attachments", "content_sealed", blob[0]))
    assert unpack_attachment(packed) == attachment()


@pytest.mark.parametrize(
    ("table", "id_col", "col"),
    [
        ("participants", "id", "chat_enc"),
        ("journeys", "id", "contact_enc"),
        ("incidents", "id", "excerpt_enc"),
        ("drafts", "owner", "state_enc"),
    ],
)
async def test_flipped_byte_wrong_key_and_moved_cell_fail(
    store: Store, table: str, id_col: str, col: str
) -> None:
    for n in range(2):
        await store.journeys.save(journey(), new_code())
        await store.participants.ensure(user_id=1000 + n, chat_id=2000 + n)
        await store.drafts.save(3000 + n, {"n": n}, timedelta(days=1))
    rows = await store.db.fetchall(f"SELECT {id_col}, {col} FROM {table} ORDER BY {id_col}")
    (id_a, blob_a), (id_b, _) = rows[0], rows[1]
    key = lambda rid: rid.hex() if isinstance(rid, bytes) else rid  # noqa: E731
    assert store.vault.decrypt(table, col, key(id_a), blob_a)

    flipped = bytearray(blob_a)
    flipped[-5] ^= 0x01
    with pytest.raises(CryptoError, match="altérée ou déplacée"):
        store.vault.decrypt(table, col, key(id_a), bytes(flipped))
    with pytest.raises(CryptoError, match="altérée ou déplacée"):
        store.vault.decrypt(table, col, key(id_b), blob_a)  # moved to another row
    with pytest.raises(CryptoError, match="altérée ou déplacée"):
        store.vault.decrypt(table, "other_enc", key(id_a), blob_a)  # moved to another column
    stranger = KeyRing(
        {store.keys.keyring.current: KeyRing.generate().keys.popitem()[1]},
        store.keys.keyring.current,
    )
    with pytest.raises(CryptoError):
        stranger.decrypt(blob_a, field_aad(table, col, key(id_a)))
    with pytest.raises(CryptoError, match="plus dans le trousseau"):
        KeyRing.generate().decrypt(blob_a, field_aad(table, col, key(id_a)))
    with pytest.raises(CryptoError, match="illisible"):
        store.vault.decrypt(table, col, key(id_a), blob_a[:10])
    # Failing to read changed nothing.
    assert await store.db.fetchall(f"SELECT {id_col}, {col} FROM {table} ORDER BY {id_col}") == rows


async def test_a_ciphertext_pasted_into_another_row_is_refused_on_read(store: Store) -> None:
    a, b = new_code(), new_code()
    await store.journeys.save(journey(contact="appelez-moi le soir"), a)
    await store.journeys.save(journey(contact="pas de contact"), b)
    rows = await store.db.fetchall("SELECT id, contact_enc FROM journeys")
    async with store.db.tx() as conn:
        await conn.execute(
            "UPDATE journeys SET contact_enc = ? WHERE id = ?", (rows[0][1], rows[1][0])
        )
    with pytest.raises(CryptoError):
        await store.journeys.get(rows[1][0])
    assert (await store.journeys.get(rows[0][0])).contact in {
        "appelez-moi le soir",
        "pas de contact",
    }


async def test_sealed_narrative_moved_or_altered_cannot_be_opened(
    store: Store, private_key_path: Path
) -> None:
    await store.journeys.save(journey(incident("premier récit")), new_code())
    await store.journeys.save(journey(incident("second récit")), new_code())
    rows = await store.db.fetchall("SELECT id, narrative_sealed FROM incidents ORDER BY id")
    unsealer = load_unsealer([private_key_path])
    aad = lambda rid: field_aad("incidents", "narrative_sealed", rid)  # noqa: E731
    assert unsealer.open(rows[0][1], aad(rows[0][0]))
    with pytest.raises(CryptoError):
        unsealer.open(rows[0][1], aad(rows[1][0]))
    altered = bytearray(rows[0][1])
    altered[-1] ^= 0x80
    with pytest.raises(CryptoError):
        unsealer.open(bytes(altered), aad(rows[0][0]))
    with pytest.raises(CryptoError, match="autre clé"):
        Unsealer((generate_controller_key(),)).open(rows[0][1], aad(rows[0][0]))
    opened = {unsealer.open(blob, aad(rid)).decode() for rid, blob in rows}
    assert opened == {"premier récit", "second récit"}


async def test_the_server_cannot_open_a_sealed_narrative(store: Store) -> None:
    await store.journeys.save(journey(incident("secret")), new_code())
    row = await store.db.fetchone("SELECT id, narrative_sealed FROM incidents")
    with pytest.raises(CryptoError):
        store.vault.decrypt("incidents", "narrative_sealed", row[0], row[1])
    assert not hasattr(store.keys.sealer, "private_key")
