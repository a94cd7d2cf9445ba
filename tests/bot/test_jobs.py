"""Housekeeping erases what is past its time, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.jobs import purge
from bot.settings import Settings
from storage import ServerKeys, Store
from storage.clock import Clock
from storage.vault import new_code
from tests.storage.factories import journey


async def test_purge_erases_stale_drafts_and_old_testimonies(
    keys: ServerKeys, data_dir: Path
) -> None:
    now = [datetime(2026, 1, 10, 12, tzinfo=UTC)]
    store = await Store.open(
        data_dir, keys=keys, clock=Clock(ZoneInfo("Europe/Paris"), lambda: now[0])
    )
    settings = Settings(data_dir=data_dir, draft_days=14, retention_days=365)
    try:
        old = new_code()
        await store.journeys.save(journey(), old)
        await store.drafts.save(1, {"node": "story"}, timedelta(days=settings.draft_days))
        await store.attempts.record("receipt", 1)
        now[0] += timedelta(days=20)
        recent = new_code()
        await store.journeys.save(journey(), recent)
        await store.drafts.save(2, {"node": "step"}, timedelta(days=settings.draft_days))
        assert await purge(store, settings) == {"drafts": 1, "journeys": 0, "attempts": 1}
        assert await store.drafts.load(1) is None and await store.drafts.load(2) is not None
        now[0] += timedelta(days=350)
        done = await purge(store, settings)
        assert done["journeys"] == 1
        assert await store.journeys.find(old) is None and await store.journeys.find(recent)
    finally:
        await store.close()
