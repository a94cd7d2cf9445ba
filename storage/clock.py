"""Dates in the territory's time zone, and the coarse ISO week used for aggregation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    def __init__(self, tz: ZoneInfo, now: Callable[[], datetime] | None = None) -> None:
        self.tz = tz
        self._now = now or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._now().astimezone(self.tz)

    def stamp(self, delta: timedelta = timedelta(0)) -> str:
        """A UTC ISO timestamp: stored timestamps compare as text, across DST changes too."""
        return (self._now().astimezone(UTC) + delta).isoformat(timespec="seconds")

    def today(self) -> date:
        return self.now().date()

    @staticmethod
    def week(day: date) -> str:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
