"""The Telegram application (for now: checks the set-up)."""

from __future__ import annotations

from bot.chat import chat
from bot.settings import Settings


def run(settings: Settings, *, webhook: bool = False) -> int:
    return chat(settings)
