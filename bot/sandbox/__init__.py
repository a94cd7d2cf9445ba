"""A local Telegram Bot API server for tests, benchmarks and the terminal chat.

See :mod:`bot.sandbox.server` for what it implements and how to point the bot at it.
"""

from bot.sandbox.botapi import ApiError
from bot.sandbox.html import HtmlError, parse_html
from bot.sandbox.server import FakeTelegram
from bot.sandbox.state import (
    CallbackAnswer,
    FloodHit,
    SandboxError,
    SentMessage,
    StoredFile,
    WebhookInfo,
)

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "FakeTelegram",
    "FloodHit",
    "HtmlError",
    "SandboxError",
    "SentMessage",
    "StoredFile",
    "WebhookInfo",
    "parse_html",
]
