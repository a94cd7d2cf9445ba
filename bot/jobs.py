"""Scheduled housekeeping (PTB JobQueue = APScheduler): erase stale drafts, testimonies past
their retention, old counters of wrong codes.

The database is the source of truth, so a missed run is simply done at the next one; jobs have
fixed ids (re-created at each start) and a generous misfire grace (engineering notes).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.settings import Settings
from storage import Store

log = logging.getLogger(__name__)
PURGE_EVERY = timedelta(hours=1)


async def purge(store: Store, settings: Settings) -> dict[str, int]:
    cutoff = store.clock.today() - timedelta(days=settings.retention_days)
    done = {
        "drafts": await store.drafts.purge_expired(),
        "journeys": await store.journeys.purge_before(cutoff.isoformat()),
        "attempts": await store.attempts.purge_before(timedelta(days=1)),
    }
    log.info("purge: %s", " ".join(f"{k}={v}" for k, v in done.items()))
    return done


async def _purge_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await purge(context.bot_data["store"], context.bot_data["settings"])


def schedule(application: Application) -> None:
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _purge_job,
        interval=PURGE_EVERY,
        first=timedelta(seconds=30),
        name="purge",
        job_kwargs={"id": "purge", "replace_existing": True, "misfire_grace_time": 3600},
    )
