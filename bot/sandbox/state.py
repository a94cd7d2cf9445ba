"""What the sandbox remembers: chats, messages, files, the update queue, callback queries.

Everything here is plain synchronous Python run on one event loop, so each method is atomic
with respect to the HTTP handlers; :class:`Notifier` wakes whoever waits for a change (long
polls, the webhook sender, tests waiting for a reply).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import copy
import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.html import utf16_len

__all__ = [
    "CallbackAnswer",
    "FloodHit",
    "Notifier",
    "SandboxError",
    "SandboxState",
    "SentMessage",
    "StoredFile",
    "UploadedFile",
    "WebhookInfo",
]

BOT_USERNAME = "vecus_sandbox_bot"
_OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
#: A 1×1 transparent PNG, the default picture a sandbox user sends.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000185d114090000000049454e44ae426082"
)


class SandboxError(ValueError):
    """A user-side action that no real Telegram user could perform (e.g. pressing a ghost)."""


class Notifier:
    """Wake every waiter on each state change; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Return True once ``predicate()`` holds, False if ``timeout`` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not predicate():
            event = self._event  # taken after the check: no await in between, no lost wake-up
            if deadline is None:
                await event.wait()
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return True


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, before it becomes a :class:`StoredFile`."""

    filename: str | None
    mime_type: str | None
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class StoredFile:
    """A file known to the sandbox (sent by a user or uploaded by the bot)."""

    file_id: str
    file_unique_id: str
    file_path: str
    kind: str
    filename: str | None
    mime_type: str | None
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class SentMessage:
    """A snapshot of one message as the user would see it.

    ``text`` is the text (or media caption) after HTML parsing; ``raw_text`` is what the bot
    sent. ``buttons`` is the inline keyboard as rows of ``(label, callback_data or url)``.
    """

    chat_id: int
    message_id: int
    from_bot: bool
    text: str | None
    raw_text: str | None
    parse_mode: str | None
    buttons: list[list[tuple[str, str | None]]]
    keyboard: list[list[str]]
    remove_keyboard: bool
    edited: bool
    deleted: bool
    document: StoredFile | None
    photo: StoredFile | None
    reply_to: int | None
    link_preview: bool
    date: int
    raw: dict[str, Any] = field(repr=False)

    def button(self, label: str) -> str:
        """The callback_data (or url) of the inline button labelled ``label``."""
        for row in self.buttons:
            for text, data in row:
                if text == label and data is not None:
                    return data
        labels = [text for row in self.buttons for text, _ in row]
        raise KeyError(f"no button {label!r} on message {self.message_id}; buttons: {labels}")

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (for the control API); file bytes are left out."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "raw"}
        for key in ("document", "photo"):
            stored = out[key]
            if stored is not None:
                out[key] = {
                    "file_id": stored.file_id,
                    "filename": stored.filename,
                    "mime_type": stored.mime_type,
                    "size": stored.size,
                }
        return out


@dataclass(frozen=True)
class CallbackAnswer:
    """One ``answerCallbackQuery`` call, tied to the message whose button was pressed."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    chat_id: int | None
    message_id: int | None
    data: str | None


@dataclass(frozen=True)
class FloodHit:
    """One request refused with 429."""

    method: str
    chat_id: int | None
    retry_after: int


@dataclass
class WebhookInfo:
    """The webhook as set by the bot, and how delivery to it went."""

    url: str
    secret_token: str | None
    max_connections: int = 40
    delivered: int = 0
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Message:
    chat_id: int
    message_id: int
    from_bot: bool
    json: dict[str, Any]
    raw_text: str | None = None
    parse_mode: str | None = None
    keyboard: list[list[str]] = field(default_factory=list)
    remove_keyboard: bool = False
    link_preview: bool = True
    document: StoredFile | None = None
    photo: StoredFile | None = None
    edited: bool = False
    deleted: bool = False

    def snapshot(self) -> SentMessage:
        markup = self.json.get("reply_markup") or {}
        buttons = [
            [(b.get("text", ""), b.get("callback_data", b.get("url"))) for b in row]
            for row in markup.get("inline_keyboard", [])
        ]
        reply = self.json.get("reply_to_message")
        return SentMessage(
            chat_id=self.chat_id,
            message_id=self.message_id,
            from_bot=self.from_bot,
            text=self.json.get("text", self.json.get("caption")),
            raw_text=self.raw_text,
            parse_mode=self.parse_mode,
            buttons=buttons,
            keyboard=[list(row) for row in self.keyboard],
            remove_keyboard=self.remove_keyboard,
            edited=self.edited,
            deleted=self.deleted,
            document=self.document,
            photo=self.photo,
            reply_to=reply["message_id"] if reply else None,
            link_preview=self.link_preview,
            date=self.json["date"],
            raw=copy.deepcopy(self.json),
        )


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    last_message_id: int = 0
    messages: dict[int, _Message] = field(default_factory=dict)
    deleted_ids: list[int] = field(default_factory=list)
    bot_events: list[SentMessage] = field(default_factory=list)  # sent or edited, in order
    bot_sent: int = 0
    reply_cursor: int = 0
    blocked: bool = False
    left: bool = False

    def json(self) -> dict[str, Any]:
        if self.type == "private":
            return {"id": self.id, "type": "private", "first_name": self.first_name or "User"}
        return {"id": self.id, "type": self.type, "title": self.title or f"Group {self.id}"}


@dataclass
class _Pending:
    update: dict[str, Any]
    redelivered: bool = False
    returned: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        return next((k for k in self.update if k != "update_id"), "")


@dataclass
class _Query:
    chat_id: int | None
    message_id: int | None
    data: str | None
    answered: bool = False


def update_kind(update: dict[str, Any]) -> str:
    """The update's type: the one key beside ``update_id``."""
    return next((k for k in update if k != "update_id"), "")


class SandboxState:
    """All the sandbox's memory, shared by the Bot API handlers and the user-side API."""

    def __init__(self, bot_id: int) -> None:
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Vécus (sandbox)",
            "username": BOT_USERNAME,
        }
        self.notifier = Notifier()
        self.closing = False
        self.chats: dict[int, _Chat] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.queue: list[_Pending] = []
        self.update_log: dict[int, dict[str, Any]] = {}
        self.allowed_updates: frozenset[str] | None = None
        self.poll_generation = 0
        self.webhook: WebhookInfo | None = None
        self.queries: dict[str, _Query] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.bot_profile: dict[str, str] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.flood_log: list[FloodHit] = []
        self._last_update_id = 0
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    # -- change notification -------------------------------------------------------------
    def changed(self) -> None:
        self.notifier.notify()

    # -- chats and users -----------------------------------------------------------------
    def user(
        self, user_id: int, *, language_code: str | None = None, first_name: str | None = None
    ) -> dict[str, Any]:
        """The user's JSON, created on first use and updated with the latest profile."""
        profile = self.users.setdefault(
            user_id,
            {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "fr"},
        )
        if language_code is not None:
            profile["language_code"] = language_code
        if first_name is not None:
            profile["first_name"] = first_name
        return dict(profile)

    def chat(
        self,
        chat_id: int,
        *,
        chat_type: str = "private",
        title: str | None = None,
        first_name: str | None = None,
    ) -> _Chat:
        """The chat, created on first use (a private chat's id is the user's id)."""
        if chat_type not in ("private", "group", "supergroup", "channel"):
            raise SandboxError(f"unknown chat type {chat_type!r}")
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = _Chat(id=chat_id, type=chat_type, title=title, first_name=first_name)
            self.chats[chat_id] = chat
        return chat

    def user_chat(self, user_id: int, chat_id: int | None, chat_type: str) -> _Chat:
        if chat_id is None:
            if chat_type != "private":
                raise SandboxError("a group message needs an explicit chat_id")
            chat_id = user_id
        first_name = self.users.get(user_id, {}).get("first_name")
        return self.chat(chat_id, chat_type=chat_type, first_name=first_name)

    def existing_chat(self, user_id: int, chat_id: int | None) -> _Chat:
        chat = self.chats.get(user_id if chat_id is None else chat_id)
        if chat is None:
            raise SandboxError("no such chat: the user never wrote there")
        return chat

    # -- files ---------------------------------------------------------------------------
    def store_file(
        self, kind: str, data: bytes, *, filename: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        number = next(self._file_ids)
        folder = {
            "photo": "photos",
            "document": "documents",
            "voice": "voice",
            "sticker": "stickers",
        }.get(kind, "files")
        suffix = ""
        if filename and "." in filename:
            suffix = "." + filename.rsplit(".", 1)[1][:8]
        elif kind == "photo":
            suffix = ".jpg"
        elif kind == "voice":
            suffix = ".oga"
        stored = StoredFile(
            file_id=f"SBX-{kind}-{number:06d}",
            file_unique_id=f"SBXU{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            kind=kind,
            filename=filename,
            mime_type=mime_type,
            data=bytes(data),
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def photo_sizes(
        self, stored: StoredFile, width: int = 800, height: int = 600
    ) -> list[dict[str, Any]]:
        """Telegram's PhotoSize list: a thumbnail (same bytes, for simplicity) and the photo."""
        thumb = self.store_file("photo", stored.data, mime_type=stored.mime_type)
        scale = 90 / max(width, height, 1)
        return [
            {
                "file_id": thumb.file_id,
                "file_unique_id": thumb.file_unique_id,
                "width": max(1, round(width * scale)),
                "height": max(1, round(height * scale)),
                "file_size": thumb.size,
            },
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": width,
                "height": height,
                "file_size": stored.size,
            },
        ]

    # -- updates -------------------------------------------------------------------------
    def is_allowed(self, kind: str) -> bool:
        if self.allowed_updates is None:
            return kind not in _OPT_IN_TYPES
        return kind in self.allowed_updates

    def enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        self._last_update_id += 1
        return self.enqueue_raw({"update_id": self._last_update_id, kind: payload})

    def enqueue_raw(self, update: dict[str, Any]) -> dict[str, Any]:
        update_id = int(update["update_id"])
        self._last_update_id = max(self._last_update_id, update_id)
        self.update_log[update_id] = copy.deepcopy(update)
        if self.is_allowed(update_kind(update)):
            self.queue.append(_Pending(copy.deepcopy(update)))
        self.changed()
        return update

    def next_update_id(self) -> int:
        return self._last_update_id + 1

    def redeliver(self, update_id: int) -> None:
        update = self.update_log.get(update_id)
        if update is None:
            raise SandboxError(f"update {update_id} was never issued")
        entry = _Pending(copy.deepcopy(update), redelivered=True)
        index = bisect.bisect_right([p.update_id for p in self.queue], update_id)
        self.queue.insert(index, entry)
        self.changed()

    def confirm(self, offset: int) -> None:
        """Drop what ``offset`` confirms (Telegram's rule), keeping fresh redeliveries."""
        if offset < 0:
            self.queue = self.queue[offset:]
            return
        self.queue = [
            p for p in self.queue if p.update_id >= offset or (p.redelivered and not p.returned)
        ]

    def deliverable(self) -> list[_Pending]:
        """Queued updates of allowed types; the others are dropped as Telegram would."""
        self.queue = [p for p in self.queue if self.is_allowed(p.kind)]
        return self.queue

    def drop_pending(self) -> None:
        self.queue.clear()
        self.changed()

    # -- messages ------------------------------------------------------------------------
    def add_message(
        self,
        chat: _Chat,
        *,
        from_bot: bool,
        sender: dict[str, Any],
        content: dict[str, Any],
        **extra: Any,
    ) -> _Message:
        chat.last_message_id += 1
        body = {
            "message_id": chat.last_message_id,
            "from": sender,
            "chat": chat.json(),
            "date": int(time.time()),
            **content,
        }
        message = _Message(chat.id, chat.last_message_id, from_bot, body, **extra)
        chat.messages[message.message_id] = message
        if from_bot:
            chat.bot_sent += 1
            chat.bot_events.append(message.snapshot())
        self.changed()
        return message

    def user_message(
        self,
        user_id: int,
        content: dict[str, Any],
        *,
        chat_id: int | None,
        chat_type: str = "private",
        language_code: str | None = None,
        first_name: str | None = None,
    ) -> dict[str, Any]:
        """A message from a user: stored in the chat and queued as a ``message`` update."""
        sender = self.user(user_id, language_code=language_code, first_name=first_name)
        chat = self.user_chat(user_id, chat_id, chat_type)
        if chat.blocked:  # writing again means the user unblocked the bot
            chat.blocked = False
            self._member_update(chat, sender, "kicked", "member")
        chat.reply_cursor = len(chat.bot_events)
        message = self.add_message(
            chat, from_bot=False, sender=sender, content=content, raw_text=content.get("text")
        )
        return self.enqueue("message", copy.deepcopy(message.json))

    def user_edit(
        self, user_id: int, message_id: int, text: str, chat_id: int | None
    ) -> dict[str, Any]:
        chat = self.existing_chat(user_id, chat_id)
        message = chat.messages.get(message_id)
        if message is None or message.from_bot or message.deleted or "text" not in message.json:
            raise SandboxError(f"message {message_id} is not a text the user can edit")
        content = text_content(text)
        message.json["text"] = text
        if "entities" in content:
            message.json["entities"] = content["entities"]
        else:
            message.json.pop("entities", None)
        message.json["edit_date"] = int(time.time())
        message.raw_text = text
        message.edited = True
        chat.reply_cursor = len(chat.bot_events)
        return self.enqueue("edited_message", copy.deepcopy(message.json))

    def press(
        self, user_id: int, message_id: int, data: str, chat_id: int | None, forged: bool = False
    ) -> dict[str, Any]:
        chat = self.existing_chat(user_id, chat_id)
        message = chat.messages.get(message_id)
        if message is None or not message.from_bot or message.deleted:
            raise SandboxError(f"no bot message {message_id} to press in chat {chat.id}")
        rows = (message.json.get("reply_markup") or {}).get("inline_keyboard", [])
        if not forged and not any(b.get("callback_data") == data for row in rows for b in row):
            raise SandboxError(
                f"message {message_id} has no button with this callback_data "
                "(use send_raw to forge one)"
            )
        query_id = str(4_000_000_000_000 + next(self._query_ids))
        self.queries[query_id] = _Query(chat.id, message_id, data)
        chat.reply_cursor = len(chat.bot_events)
        payload = {
            "id": query_id,
            "from": self.user(user_id),
            "message": copy.deepcopy(message.json),
            "chat_instance": str(-(abs(chat.id) * 7919 % 10**15) - 1),
            "data": data,
        }
        return self.enqueue("callback_query", payload)

    def raw(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an arbitrary update; its chats and callback queries become known."""
        update = copy.deepcopy(update)
        if "update_id" in update:
            if int(update["update_id"]) <= self._last_update_id:
                raise SandboxError("update_id must be greater than every earlier one")
        else:
            update = {"update_id": self.next_update_id(), **update}
        for kind in ("message", "edited_message", "channel_post"):
            body = update.get(kind)
            if isinstance(body, dict) and isinstance(body.get("chat"), dict):
                chat_json = body["chat"]
                chat = self.chat(
                    int(chat_json["id"]),
                    chat_type=chat_json.get("type", "private"),
                    title=chat_json.get("title"),
                    first_name=chat_json.get("first_name"),
                )
                chat.last_message_id = max(chat.last_message_id, int(body.get("message_id", 0)))
        query = update.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            message = query.get("message") or {}
            self.queries[str(query["id"])] = _Query(
                (message.get("chat") or {}).get("id"),
                message.get("message_id"),
                query.get("data"),
            )
        return self.enqueue_raw(update)

    def block(self, user_id: int) -> None:
        chat = self.chats.get(user_id)
        if chat is None:
            chat = self.chat(user_id, first_name=self.user(user_id)["first_name"])
        if not chat.blocked:
            chat.blocked = True
            self._member_update(chat, self.user(user_id), "member", "kicked")
        self.changed()

    def _member_update(self, chat: _Chat, sender: dict[str, Any], old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            body: dict[str, Any] = {"status": status, "user": dict(self.bot_user)}
            if status == "kicked":
                body["until_date"] = 0
            return body

        self.enqueue(
            "my_chat_member",
            {
                "chat": chat.json(),
                "from": sender,
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    # -- reading -------------------------------------------------------------------------
    def snapshots(
        self, chat_id: int, *, bot_only: bool, include_deleted: bool
    ) -> list[SentMessage]:
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return [
            m.snapshot()
            for m in chat.messages.values()
            if (m.from_bot or not bot_only) and (include_deleted or not m.deleted)
        ]


def text_content(text: str) -> dict[str, Any]:
    """A user's text message body, with the ``bot_command`` entity Telegram adds."""
    content: dict[str, Any] = {"text": text}
    match = _COMMAND_RE.match(text)
    if match:
        content["entities"] = [
            {"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}
        ]
    return content
