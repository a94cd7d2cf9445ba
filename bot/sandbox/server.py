"""A local Telegram Bot API server, so the real bot runs with no network and no token.

Why: no machine of the project reaches Telegram, yet the end-to-end tests, the benchmarks and
``python -m bot chat`` must run the real bot, over real HTTP, through python-telegram-bot (PTB).
:class:`FakeTelegram` speaks enough of the Bot API for Vécus and plays the users' side.

Pointing the bot at it
----------------------
In-process::

    async with FakeTelegram() as fake:
        app = (ApplicationBuilder().token(fake.token).base_url(fake.base_url)
               .base_file_url(fake.base_file_url).build())

or, for a bot in another process, ``python -m bot.sandbox --port 8081`` and the environment
``TELEGRAM_BASE_URL=http://127.0.0.1:8081/bot``,
``TELEGRAM_BASE_FILE_URL=http://127.0.0.1:8081/file/bot`` with the token ``123456:SANDBOX``.
PTB appends the token to both URLs. Another process can then play the user through the small
control API under ``/sandbox/`` (see :mod:`bot.sandbox.control`).

Bot API implemented (``POST`` or ``GET /bot<token>/<method>``, JSON, form or multipart
parameters, method names case-insensitive, answers ``{"ok": true, "result": ...}``)
----------------------------------------------------------------------------------------
getMe; getUpdates (offset confirms and drops earlier updates, negative offset, limit, long-poll
timeout woken by the next update, allowed_updates kept like Telegram); setWebhook (url,
secret_token, drop_pending_updates, allowed_updates) / deleteWebhook / getWebhookInfo — with a
webhook set, updates are POSTed in order as ``application/json`` with
``X-Telegram-Bot-Api-Secret-Token``, retried with backoff (50 ms doubling to 1 s) until the
receiver answers 200; sendMessage (parse_mode HTML, inline keyboard, reply keyboard,
ReplyKeyboardRemove, reply_parameters, link_preview_options / disable_web_page_preview);
editMessageText; editMessageReplyMarkup; deleteMessage; deleteMessages; answerCallbackQuery;
sendDocument and sendPhoto (multipart upload, ``attach://`` or a known file_id); sendChatAction;
setMyCommands / getMyCommands / deleteMyCommands (scope and language_code); setChatMenuButton /
getChatMenuButton; setMyName / setMyDescription / setMyShortDescription; getFile (file bytes
served under ``/file/bot<token>/<file_path>``); getChat; leaveChat.

Errors, with Telegram's status and description
----------------------------------------------
401 ``Unauthorized`` (wrong token); 404 ``Not Found`` (unknown method); 400 ``Bad Request:``
``chat not found``, ``message text is empty``, ``message is too long`` (over 4096 characters
after HTML parsing and trimming), ``message caption is too long`` (1024), ``can't parse
entities: ...`` (HTML: only b strong i em u ins s strike del a[href] code pre
span[class=tg-spoiler] tg-spoiler blockquote tg-emoji, properly nested and closed; & < >
escaped — stricter than Telegram on bare & and >), ``unsupported parse_mode``,
``BUTTON_DATA_INVALID`` (callback_data not 1-64 bytes), ``BUTTON_URL_INVALID``, ``message to be
replied not found``, ``message is not modified: ...``, ``message to edit not found``,
``message can't be edited``, ``there is no text in the message to edit``, ``message to delete
not found``, ``query is too old and response timeout expired or query ID is invalid``,
``invalid file_id``, ``wrong file identifier/HTTP URL specified``, ``BOT_COMMAND_INVALID``,
``wrong parameter action in request``; 403 ``Forbidden: bot was blocked by the user``;
409 ``Conflict: can't use getUpdates method while webhook is active; ...`` and ``Conflict:
terminated by other getUpdates request; ...`` (two pollers); 429 ``Too Many Requests: retry
after N`` with ``parameters.retry_after`` when the bot sends (sendMessage, sendDocument,
sendPhoto, editMessage*) more than ``per_chat_per_second`` to one chat or
``global_per_second`` overall within a sliding second.

Playing the user (async, they change state and wake the bot's long poll)
------------------------------------------------------------------------
``send_text``, ``press`` (a button that is really on the message; forge others with
``send_raw``), ``send_sticker``, ``send_photo``, ``send_document``, ``send_voice``,
``send_location``, ``send_contact``, ``edit_text`` (an ``edited_message``), ``send_raw``,
``redeliver`` (same update, same update_id, again), ``block`` (later sends get 403; a
``my_chat_member`` update is queued; writing again unblocks). Each returns the update it queued.
Updates have strictly increasing update_id, messages per-chat increasing message_id, and a
text starting with ``/`` carries a ``bot_command`` entity.

Reading what the bot did (synchronous snapshots)
------------------------------------------------
``messages(chat_id)`` (the bot's current messages), ``history(chat_id)`` (everything, deleted
included), ``deleted(chat_id)``, ``callback_answers``, ``commands``, ``webhook``,
``flood_hits`` / ``flood_log``, ``pending_updates``, ``calls``; and, woken on each change,
``wait_for(predicate)``, ``wait_for_messages(chat_id, count)`` and ``next_reply(chat_id)``.

Left out: inline mode, payments, media groups, forwarding/copying, other media sends, Markdown
parsing (Markdown text is passed through unchecked), the 48-hour deletion limit, callback
query expiry, and group privacy mode (the bot sees every group message).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from bot.sandbox.botapi import MAX_UPLOAD, ApiError, BotApi, bad, decode_value
from bot.sandbox.flood import FloodControl
from bot.sandbox.state import (
    TINY_PNG,
    CallbackAnswer,
    FloodHit,
    SandboxError,
    SandboxState,
    SentMessage,
    UploadedFile,
    WebhookInfo,
    text_content,
)

__all__ = ["FakeTelegram"]

WEBHOOK_FIRST_RETRY = 0.05
WEBHOOK_MAX_RETRY = 1.0


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus body, whether JSON, url-encoded or multipart (PTB's choice)."""
    data: dict[str, Any] = {k: decode_value(k, v) for k, v in request.query.items()}
    if request.method != "POST" or not request.body_exists:
        return data
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad("request body must be a JSON object")
        data.update(body)
    else:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                data[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                data[key] = decode_value(key, str(value))
    return data


class FakeTelegram:
    """A Bot API server on 127.0.0.1 plus the user side, for tests, benchmarks and the chat."""

    def __init__(
        self,
        token: str = "123456:SANDBOX",
        *,
        per_chat_per_second: float = 10,
        global_per_second: float = 30,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like '<digits>:<secret>'")
        self.token = token
        self._state = SandboxState(int(bot_id))
        self._api = BotApi(self._state, FloodControl(per_chat_per_second, global_per_second))
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._worker: asyncio.Task[None] | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (0 picks a free port) and start the webhook sender."""
        from bot.sandbox.control import add_control_routes

        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        self._state.closing = False
        # no access log: it would show the token; long polls are woken on stop, hence 1 s
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self._port = int(self._runner.addresses[0][1])
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._worker = asyncio.create_task(self._webhook_worker(), name="sandbox-webhook")

    async def stop(self) -> None:
        """Answer pending long polls, stop the webhook sender and close the server."""
        self._state.closing = True
        self._state.changed()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the sandbox is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url``: PTB appends the token."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url``: PTB appends the token and file path."""
        return f"http://{self._host}:{self.port}/file/bot"

    @property
    def bot_id(self) -> int:
        return int(self._state.bot_user["id"])

    # -- HTTP ----------------------------------------------------------------------------
    async def _handle_bot(self, request: web.Request) -> web.Response:
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            params = await _read_params(request)
            result = await self._api.call(request.match_info["method"], params)
        except ApiError as error:
            return web.json_response(error.payload(), status=error.code)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        stored = self._state.files_by_path.get(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _webhook_worker(self) -> None:
        """POST queued updates one at a time, in order, while a webhook is set."""
        state = self._state
        delay = WEBHOOK_FIRST_RETRY
        while True:
            await state.notifier.wait_until(
                lambda: state.closing or (state.webhook is not None and bool(state.deliverable())),
                None,
            )
            hook = state.webhook
            if state.closing or hook is None:
                return
            entry = state.queue[0]
            error = await self._post_update(hook, entry.update)
            if error is None:
                state.queue = [p for p in state.queue if p is not entry]
                hook.delivered += 1
                delay = WEBHOOK_FIRST_RETRY
                state.changed()
                continue
            hook.last_error_date = int(time.time())
            hook.last_error_message = error
            state.changed()
            await state.notifier.wait_until(
                lambda hook=hook: state.closing or state.webhook is not hook, delay
            )
            delay = min(delay * 2, WEBHOOK_MAX_RETRY)

    async def _post_update(self, hook: WebhookInfo, update: dict[str, Any]) -> str | None:
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        try:
            async with self._session.post(
                hook.url, data=json.dumps(update).encode(), headers=headers
            ) as response:
                await response.read()
                if response.status == 200:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientConnectorError:
            return "Connection refused"
        except aiohttp.ClientError as error:
            return f"Failed to deliver the update: {type(error).__name__}"

    # -- the user's side -----------------------------------------------------------------
    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        language_code: str = "fr",
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict[str, Any]:
        """The user types ``text``; returns the ``message`` update queued for the bot."""
        if not text.strip() or len(text) > 4096:
            raise SandboxError("a Telegram user can send 1-4096 characters")
        return self._state.user_message(
            user_id,
            text_content(text),
            chat_id=chat_id,
            chat_type=chat_type,
            language_code=language_code,
            first_name=first_name,
        )

    async def press(
        self, user_id: int, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """The user presses the inline button carrying ``callback_data`` on a bot message."""
        return self._state.press(user_id, message_id, callback_data, chat_id)

    async def forge_press(
        self, user_id: int, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """A callback query with any data, as a modified client could send: old buttons from
        earlier messages, or made-up data."""
        return self._state.press(user_id, message_id, callback_data, chat_id, forged=True)

    async def edit_text(
        self, user_id: int, message_id: int, new_text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """The user edits one of their text messages (an ``edited_message`` update)."""
        return self._state.user_edit(user_id, message_id, new_text, chat_id)

    async def send_sticker(
        self, user_id: int, emoji: str = "👍", *, chat_id: int | None = None
    ) -> dict[str, Any]:
        stored = self._state.store_file("sticker", TINY_PNG, mime_type="image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return self._state.user_message(user_id, {"sticker": sticker}, chat_id=chat_id)

    async def send_photo(
        self,
        user_id: int,
        data: bytes = TINY_PNG,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        width: int = 800,
        height: int = 600,
    ) -> dict[str, Any]:
        """A photo the bot can fetch with getFile (the largest size holds ``data``)."""
        stored = self._state.store_file("photo", data, mime_type="image/jpeg")
        content: dict[str, Any] = {"photo": self._state.photo_sizes(stored, width, height)}
        if caption:
            content["caption"] = caption
        return self._state.user_message(user_id, content, chat_id=chat_id)

    async def send_document(
        self,
        user_id: int,
        data: bytes = b"sandbox document\n",
        *,
        filename: str = "document.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        stored = self._state.store_file("document", data, filename=filename, mime_type=mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": stored.size,
        }
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return self._state.user_message(user_id, content, chat_id=chat_id)

    async def send_voice(
        self,
        user_id: int,
        data: bytes = b"OggS\x00sandbox",
        *,
        duration: int = 2,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        stored = self._state.store_file("voice", data, mime_type="audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": stored.size,
        }
        return self._state.user_message(user_id, {"voice": voice}, chat_id=chat_id)

    async def send_location(
        self,
        user_id: int,
        latitude: float = 48.8566,
        longitude: float = 2.3522,
        *,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        location = {"latitude": latitude, "longitude": longitude}
        return self._state.user_message(user_id, {"location": location}, chat_id=chat_id)

    async def send_contact(
        self,
        user_id: int,
        phone_number: str = "+33612345678",
        *,
        first_name: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """The user shares their own contact (what a ``request_contact`` button sends)."""
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or self._state.user(user_id)["first_name"],
            "user_id": user_id,
        }
        return self._state.user_message(user_id, {"contact": contact}, chat_id=chat_id)

    async def send_raw(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue any update (forged callback data, other update types); update_id is added."""
        return self._state.raw(update)

    async def redeliver(self, update_id: int) -> dict[str, Any]:
        """Deliver an update again with the same update_id, as Telegram sometimes does."""
        self._state.redeliver(update_id)
        return dict(self._state.update_log[update_id])

    async def block(self, user_id: int) -> None:
        """The user blocks the bot: sends to their chat now get 403."""
        self._state.block(user_id)

    # -- what the bot did ----------------------------------------------------------------
    def messages(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages currently visible in the chat, oldest first."""
        return self._state.snapshots(chat_id, bot_only=True, include_deleted=False)

    def history(self, chat_id: int) -> list[SentMessage]:
        """Every message of the chat, the user's and deleted ones included."""
        return self._state.snapshots(chat_id, bot_only=False, include_deleted=True)

    def deleted(self, chat_id: int) -> list[int]:
        """Ids the bot deleted in the chat (its own messages or the user's), in order."""
        chat = self._state.chats.get(chat_id)
        return list(chat.deleted_ids) if chat else []

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        return list(self._state.callback_answers)

    @property
    def commands(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """``{(scope, language_code): [(command, description)]}``; scope "default",
        "all_private_chats", "chat:<id>"…; language "" when none was given."""
        return {key: list(value) for key, value in self._state.commands.items()}

    @property
    def webhook(self) -> WebhookInfo | None:
        hook = self._state.webhook
        return dataclasses.replace(hook) if hook else None

    @property
    def flood_hits(self) -> int:
        """How many requests were refused with 429."""
        return len(self._state.flood_log)

    @property
    def flood_log(self) -> list[FloodHit]:
        return list(self._state.flood_log)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by the bot (or delivered to its webhook)."""
        return [dict(entry.update) for entry in self._state.queue]

    @property
    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        """Every Bot API call as (canonical method name, decoded parameters), files as sizes."""
        return list(self._state.calls)

    # -- waiting -------------------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Return once ``predicate()`` is true, re-checked on every change; else TimeoutError."""
        if not await self._state.notifier.wait_until(predicate, timeout):
            raise TimeoutError(f"sandbox condition still false after {timeout} s")

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent ``count`` messages to the chat (deleted ones count) and
        return all it sent, deleted ones included and marked."""

        def sent() -> int:
            chat = self._state.chats.get(chat_id)
            return chat.bot_sent if chat else 0

        if not await self._state.notifier.wait_until(lambda: sent() >= count, timeout):
            raise TimeoutError(
                f"chat {chat_id}: {sent()} bot message(s) after {timeout} s, expected {count}"
            )
        return self._state.snapshots(chat_id, bot_only=True, include_deleted=True)

    async def next_reply(self, chat_id: int, timeout: float = 10.0) -> SentMessage:
        """The next bot message sent or edited in the chat, as it was at that moment.

        Replies are consumed in order from the user's last action in the chat (send, press,
        edit), so a bot answering with two messages gives two successive ``next_reply``.
        """

        def ready() -> bool:
            chat = self._state.chats.get(chat_id)
            return chat is not None and chat.reply_cursor < len(chat.bot_events)

        if not await self._state.notifier.wait_until(ready, timeout):
            raise TimeoutError(f"chat {chat_id}: no bot reply within {timeout} s")
        chat = self._state.chats[chat_id]
        reply = chat.bot_events[chat.reply_cursor]
        chat.reply_cursor += 1
        return reply
