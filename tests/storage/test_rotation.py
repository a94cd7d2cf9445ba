"""Key rotation over 1,000 rows: nothing lost, old key retirable, interruption harmless."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from storage import ServerKeys, Store, load_keys
from storage.keys import save_keyring
from storage.rotation import key_usage, reencrypt
from storage.vault import new_code
from tests.storage.factories import incident, journey

ROWS = 1000


async def _fill(store: Store) -> dict[str, str]:
    receipts = {}
    journeys = []
    for n in range(ROWS // 4):
        code = new_code()
        receipts[code] = f"contact {n}"
        journeys.append(
            (journey(incident(f"récit {n}", excerpt=f"extrait {n}"), contact=f"contact {n}"), code)
        )
    for j, code in journeys:
        await store.journeys.save(j, code)
    for n in range(ROWS // 4):
        await store.participants.ensure(user_id=10_000 + n, chat_id=20_000 + n)
        await store.drafts.save(30_000 + n, {"n": n}, timedelta(days=2))
    return receipts


async def _all_readable(store: Store, receipts: dict[str, str]) -> None:
    for code, contact in receipts.items():
        view = await store.journeys.find(code)
        assert view is not None and view.contact == contact
        assert view.incidents[0].excerpt == contact.replace("contact", "extrait")
    for n in range(ROWS // 4):
        p = await store.participants.by_user(10_000 + n)
        assert p is not None and await store.participants.chat_id(p.id) == 20_000 + n
        assert await store.drafts.load(30_000 + n) == {"n": n}


def _rotated(keys: ServerKeys) -> ServerKeys:
    return ServerKeys(keys.keyring.with_new_key(), keys.pepper, keys.sealer)


async def test_rotation_of_1000_rows_loses_nothing_and_old_key_can_go(
    keys: ServerKeys, data_dir: Path
) -> None:
    store = await Store.open(data_dir, keys=keys)
    receipts = await _fill(store)
    old = keys.keyring.current
    assert (await key_usage(store.db))[old] == ROWS + 1  # + the key check
    await store.close()

    rotated = _rotated(load_keys(data_dir))
    save_keyring(data_dir, rotated)
    store = await Store.open(data_dir, keys=rotated)
    assert await reencrypt(store.db, store.vault) == ROWS
    assert (await key_usage(store.db)) == {rotated.keyring.current: ROWS + 1}
    await store.close()

    retired = ServerKeys(rotated.keyring.without(old), rotated.pepper, rotated.sealer)
    save_keyring(data_dir, retired)
    store = await Store.open(data_dir)  # from the files on disk
    try:
        assert old not in store.keys.keyring.keys
        await _all_readable(store, receipts)
    finally:
        await store.close()


async def test_interrupted_rotation_leaves_every_row_readable(store: Store, data_dir: Path) -> None:
    receipts = await _fill(store)
    rotated = _rotated(store.keys)
    save_keyring(data_dir, rotated)
    store.vault.keys = rotated

    done_before_crash = []

    def crash(done: int) -> None:
        if done >= 300:
            done_before_crash.append(done)
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        await reencrypt(store.db, store.vault, batch=100, after_batch=crash)
    done = done_before_crash[0]
    usage = await key_usage(store.db)
    assert usage[rotated.keyring.current] == done and sum(usage.values()) == ROWS + 1
    assert usage[store.keys.keyring.current] == ROWS + 1 - done  # old key still protects the rest
    await _all_readable(store, receipts)
    # Running it again finishes the job.
    assert await reencrypt(store.db, store.vault, batch=100) == ROWS - done
    await _all_readable(store, receipts)
