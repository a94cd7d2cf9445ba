"""Concurrent writers through the storage API lose no row."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage import ServerKeys, Store
from storage.vault import new_code
from tests.storage.factories import incident, journey


async def test_200_concurrent_writers_lose_no_row(store: Store) -> None:
    codes = [new_code() for _ in range(200)]
    results = await asyncio.gather(
        *(store.journeys.save(journey(incident(f"récit {n}")), c) for n, c in enumerate(codes))
    )
    assert all(created for _, created in results)
    assert await store.journeys.count() == 200
    for code in codes[::20]:
        assert await store.journeys.find(code) is not None


async def test_two_processes_worth_of_connections_share_the_file(
    keys: ServerKeys, data_dir: Path
) -> None:
    a = await Store.open(data_dir, keys=keys)
    b = await Store.open(data_dir, keys=keys)
    try:
        await asyncio.gather(
            *(s.journeys.save(journey(), new_code()) for s in (a, b) for _ in range(100)),
            *(a.participants.ensure(user_id=n, chat_id=n) for n in range(50)),
        )
        assert await a.journeys.count() == 200 and await b.journeys.count() == 200
        assert await b.participants.count() == 50
    finally:
        await a.close()
        await b.close()


async def test_the_same_journey_saved_twice_is_stored_once(store: Store) -> None:
    code = new_code()
    first, second = await asyncio.gather(
        store.journeys.save(journey(), code), store.journeys.save(journey(), code)
    )
    assert first[0] == second[0] and {first[1], second[1]} == {True, False}
    assert await store.journeys.count() == 1
    assert await store.journeys.add_incident(code, incident("ajout"), "k1")
    assert not await store.journeys.add_incident(code, incident("ajout"), "k1")
    view = await store.journeys.find(code)
    assert [i.position for i in view.incidents] == [1, 2]
