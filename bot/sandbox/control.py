"""A tiny HTTP control API under ``/sandbox/`` to play the user from another process.

For a bot running in its own process (benchmarks, manual tries with ``curl``)::

    POST /sandbox/send        {"user_id": 1, "text": "/start", "chat_id"?, "language_code"?,
                               "chat_type"?}                       -> the queued update
    POST /sandbox/press       {"user_id": 1, "message_id": 2, "callback_data": "yes",
                               "chat_id"?}                         -> the queued update
    POST /sandbox/block       {"user_id": 1}
    GET  /sandbox/messages?chat_id=1                               -> the bot's messages
    GET  /sandbox/history?chat_id=1                                -> every message
    GET  /sandbox/next_reply?chat_id=1&timeout=10                  -> the next bot reply
    GET  /sandbox/wait_messages?chat_id=1&count=3&timeout=10       -> once 3 were sent
    GET  /sandbox/stats                                            -> counters

Answers are ``{"ok": true, "result": ...}``; a bad request 400, a timeout 408.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.state import SandboxError

if TYPE_CHECKING:
    from bot.sandbox.server import FakeTelegram

__all__ = ["add_control_routes"]

Action = Callable[[web.Request], Awaitable[Any]]


def _wrap(action: Action) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        try:
            result = await action(request)
        except TimeoutError as error:
            return web.json_response({"ok": False, "description": str(error)}, status=408)
        except (SandboxError, KeyError, TypeError, ValueError) as error:
            return web.json_response({"ok": False, "description": str(error)}, status=400)
        return web.json_response({"ok": True, "result": result})

    return handler


def add_control_routes(app: web.Application, fake: FakeTelegram) -> None:
    """Mount the control API of ``fake`` on ``app``."""

    async def body(request: web.Request) -> dict[str, Any]:
        data = await request.json()
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        return data

    def chat_id(request: web.Request) -> int:
        return int(request.query["chat_id"])

    def timeout(request: web.Request) -> float:
        return float(request.query.get("timeout", 10))

    async def send(request: web.Request) -> Any:
        data = await body(request)
        return await fake.send_text(
            int(data["user_id"]),
            str(data["text"]),
            chat_id=data.get("chat_id"),
            language_code=data.get("language_code", "fr"),
            chat_type=data.get("chat_type", "private"),
        )

    async def press(request: web.Request) -> Any:
        data = await body(request)
        return await fake.press(
            int(data["user_id"]),
            int(data["message_id"]),
            str(data["callback_data"]),
            chat_id=data.get("chat_id"),
        )

    async def block(request: web.Request) -> Any:
        await fake.block(int((await body(request))["user_id"]))
        return True

    async def messages(request: web.Request) -> Any:
        return [m.as_dict() for m in fake.messages(chat_id(request))]

    async def history(request: web.Request) -> Any:
        return [m.as_dict() for m in fake.history(chat_id(request))]

    async def next_reply(request: web.Request) -> Any:
        return (await fake.next_reply(chat_id(request), timeout(request))).as_dict()

    async def wait_messages(request: web.Request) -> Any:
        sent = await fake.wait_for_messages(
            chat_id(request), int(request.query["count"]), timeout(request)
        )
        return [m.as_dict() for m in sent]

    async def stats(request: web.Request) -> Any:
        hook = fake.webhook
        return {
            "flood_hits": fake.flood_hits,
            "pending_updates": len(fake.pending_updates),
            "calls": len(fake.calls),
            "webhook": hook.url if hook else None,
        }

    app.router.add_post("/sandbox/send", _wrap(send))
    app.router.add_post("/sandbox/press", _wrap(press))
    app.router.add_post("/sandbox/block", _wrap(block))
    app.router.add_get("/sandbox/messages", _wrap(messages))
    app.router.add_get("/sandbox/history", _wrap(history))
    app.router.add_get("/sandbox/next_reply", _wrap(next_reply))
    app.router.add_get("/sandbox/wait_messages", _wrap(wait_messages))
    app.router.add_get("/sandbox/stats", _wrap(stats))
