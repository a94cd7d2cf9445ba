"""Flood control: Telegram answers 429 to a bot that sends too fast.

The real limits are fuzzy (about 30 messages/s overall, about 1/s per chat); the sandbox uses a
sliding one-second window with configurable limits so that tests can provoke a 429 on purpose
and benchmarks can check that the bot's own limiter keeps it away from them.
"""

from __future__ import annotations

import math
import time
from collections import deque


class FloodControl:
    """Sliding-window counters per chat and overall."""

    def __init__(self, per_chat_per_second: float, global_per_second: float) -> None:
        self.per_chat = per_chat_per_second
        self.overall = global_per_second
        self._chats: dict[int, deque[float]] = {}
        self._all: deque[float] = deque()

    @staticmethod
    def _prune(window: deque[float], now: float) -> None:
        while window and window[0] <= now - 1.0:
            window.popleft()

    @staticmethod
    def _wait(window: deque[float], limit: float, now: float) -> int | None:
        if len(window) < limit:
            return None
        # the request may go once enough of the window has slid out
        index = max(0, len(window) - math.ceil(limit))
        return max(1, math.ceil(window[index] + 1.0 - now))

    def check(self, chat_id: int | None, now: float | None = None) -> int | None:
        """Seconds to wait (for ``retry_after``) if sending now would exceed a limit."""
        now = time.monotonic() if now is None else now
        self._prune(self._all, now)
        waits = [self._wait(self._all, self.overall, now)]
        if chat_id is not None:
            window = self._chats.setdefault(chat_id, deque())
            self._prune(window, now)
            waits.append(self._wait(window, self.per_chat, now))
        found = [w for w in waits if w is not None]
        return max(found) if found else None

    def record(self, chat_id: int | None, now: float | None = None) -> None:
        """Count one accepted send."""
        now = time.monotonic() if now is None else now
        self._all.append(now)
        if chat_id is not None:
            self._chats.setdefault(chat_id, deque()).append(now)
