"""The Bot API methods the sandbox implements, with Telegram's error texts.

Each method takes the decoded request parameters and returns the ``result`` value, or raises
:class:`ApiError`, which the server turns into Telegram's error JSON. Descriptions are copied
from Telegram so that the bot's error handling is exercised by the same strings it will see.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.flood import FloodControl
from bot.sandbox.html import HtmlError, parse_html, strip_text
from bot.sandbox.state import (
    CallbackAnswer,
    FloodHit,
    SandboxState,
    StoredFile,
    UploadedFile,
    WebhookInfo,
    _Chat,
    _Message,
)

__all__ = ["METHODS", "ApiError", "BotApi", "Params", "decode_value"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_URL_RE = re.compile(r"(https?|tg)://\S+")
# Parameters Telegram defines as strings: PTB sends them unencoded in forms, so they must not
# be JSON-decoded ("123" stays a text).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "action",
        "language_code",
        "file_id",
        "inline_message_id",
        "business_connection_id",
        "title",
        "description",
        "short_description",
        "name",
        "emoji",
        "query",
        "document",
        "photo",
        "message_effect_id",
        "ip_address",
        "sticker",
        "voice",
        "audio",
        "video",
        "animation",
    }
)


class ApiError(Exception):
    """A Bot API error: becomes ``{"ok": false, "error_code": code, "description": ...}``."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def decode_value(name: str, value: str) -> Any:
    """Decode one form field the way PTB encoded it (JSON, except string parameters)."""
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class Params:
    """Typed access to request parameters, whichever encoding they came in."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __contains__(self, name: str) -> bool:
        return self.data.get(name) is not None

    def raw(self, name: str) -> Any:
        return self.data.get(name)

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, (dict, list, UploadedFile)):
            raise bad(f"wrong type of the parameter {name}")
        return str(value)

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad(f"invalid {name} specified") from None

    def req_int(self, name: str, empty: str | None = None) -> int:
        value = self.int(name)
        if value is None:
            raise bad(empty or f"{name} is empty")
        return value

    def float(self, name: str, default: float) -> float:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad(f"invalid {name} specified") from None

    def bool(self, name: str) -> bool:
        value = self.data.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def json(self, name: str) -> Any:
        value = self.data.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad(f"can't parse {name} JSON object") from None
        return value


Handler = Callable[["BotApi", Params], Awaitable[Any]]
METHODS: dict[str, tuple[str, Handler]] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    """Register a Bot API method under its case-insensitive name."""

    def register(func: Handler) -> Handler:
        METHODS[name.lower()] = (name, func)
        return func

    return register


def _validate_inline_keyboard(markup: Any) -> None:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad("can't parse inline keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad("can't parse inline keyboard button: Text is not specified")
            if not button["text"].strip():
                raise bad("BUTTON_TEXT_INVALID")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                    raise bad("BUTTON_DATA_INVALID")
            elif "url" in button:
                if not isinstance(button["url"], str) or not _BUTTON_URL_RE.fullmatch(
                    button["url"]
                ):
                    raise bad("BUTTON_URL_INVALID")
            elif not set(button) - {"text"}:
                raise bad(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )


def _format(p: Params, text: str | None, *, caption: bool) -> tuple[str, list[dict[str, Any]]]:
    """Parse ``text`` per ``parse_mode`` and apply Telegram's emptiness and length rules."""
    text = text or ""
    mode = (p.str("parse_mode") or "").lower()
    field = "caption_entities" if caption else "entities"
    if mode == "html":
        try:
            plain, entities = parse_html(text)
        except HtmlError as error:
            raise bad(f"can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is passed through unparsed: the sandbox checks HTML only.
        plain, entities = text, list(p.json(field) or [])
    else:
        raise bad("unsupported parse_mode")
    plain, entities = strip_text(plain, entities)
    if not caption and not plain:
        raise bad("message text is empty")
    if len(plain) > (MAX_CAPTION if caption else MAX_TEXT):
        raise bad("message caption is too long" if caption else "message is too long")
    return plain, entities


class BotApi:
    """Bot-facing behaviour over a :class:`SandboxState`."""

    def __init__(self, state: SandboxState, flood: FloodControl) -> None:
        self.state = state
        self.flood = flood

    async def call(self, name: str, params: dict[str, Any]) -> Any:
        entry = METHODS.get(name.lower())
        if entry is None:
            raise ApiError(404, "Not Found")
        canonical, func = entry
        self.state.calls.append((canonical, _loggable(params)))
        return await func(self, Params(params))

    # -- helpers -------------------------------------------------------------------------
    def _chat(self, p: Params, *, sending: bool = True) -> _Chat:
        raw = p.raw("chat_id")
        if raw is None or raw == "":
            raise bad("chat_id is empty")
        try:
            chat = self.state.chats.get(int(raw))
        except (TypeError, ValueError):
            chat = None  # "@username": the sandbox's chats have no public username
        if chat is None:
            raise bad("chat not found")
        if sending and chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if sending and chat.left:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        return chat

    def _message(self, chat: _Chat, p: Params, missing: str) -> _Message:
        message = chat.messages.get(p.req_int("message_id", "message identifier is not specified"))
        if message is None or message.deleted:
            raise bad(missing)
        return message

    def _check_flood(self, method_name: str, chat_id: int) -> None:
        wait = self.flood.check(chat_id)
        if wait is not None:
            self.state.flood_log.append(FloodHit(method_name, chat_id, wait))
            self.state.changed()
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        self.flood.record(chat_id)

    def _markup(self, p: Params) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(inline markup to store in the message, other keyboard effects for the snapshot)."""
        markup = p.json("reply_markup")
        if markup is None:
            return None, {}
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            _validate_inline_keyboard(markup)
            return markup, {}
        if markup.get("remove_keyboard"):
            return None, {"remove_keyboard": True}
        if "keyboard" in markup:
            rows = [
                [b if isinstance(b, str) else b.get("text", "") for b in row]
                for row in markup["keyboard"]
            ]
            return None, {"keyboard": rows}
        return None, {}

    def _reply_to(self, chat: _Chat, p: Params) -> dict[str, Any] | None:
        reply = p.json("reply_parameters") or {}
        target_id = reply.get("message_id", p.int("reply_to_message_id"))
        if target_id is None:
            return None
        target = chat.messages.get(int(target_id))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply") or p.bool("allow_sending_without_reply"):
                return None
            raise bad("message to be replied not found")
        body = copy.deepcopy(target.json)
        body.pop("reply_to_message", None)
        return body

    def _link_preview(self, p: Params) -> bool:
        options = p.json("link_preview_options") or {}
        return not (options.get("is_disabled") or p.bool("disable_web_page_preview"))

    def _input_file(self, p: Params, name: str, kind: str) -> StoredFile:
        value = p.raw(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.raw(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad("file must be non-empty")
            if len(value.data) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            return self.state.store_file(
                kind, value.data, filename=value.filename, mime_type=value.mime_type
            )
        if isinstance(value, str) and value in self.state.files:
            return self.state.files[value]
        if value is None or value == "":
            raise bad(f"there is no {kind} in the request")
        raise bad("wrong file identifier/HTTP URL specified")

    def _send(
        self, chat: _Chat, content: dict[str, Any], p: Params, method_name: str, **extra: Any
    ) -> dict[str, Any]:
        markup, effects = self._markup(p)
        reply = self._reply_to(chat, p)
        self._check_flood(method_name, chat.id)
        if markup is not None:
            content["reply_markup"] = markup
        if reply is not None:
            content["reply_to_message"] = reply
        message = self.state.add_message(
            chat,
            from_bot=True,
            sender=dict(self.state.bot_user),
            content=content,
            parse_mode=p.str("parse_mode"),
            link_preview=self._link_preview(p),
            **effects,
            **extra,
        )
        return copy.deepcopy(message.json)

    def _edited(self, chat: _Chat, message: _Message) -> dict[str, Any]:
        message.edited = True
        message.json["edit_date"] = int(time.time())
        chat.bot_events.append(message.snapshot())
        self.state.changed()
        return copy.deepcopy(message.json)


def _loggable(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters for ``calls``: file bytes replaced by their name and size."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, UploadedFile):
            out[key] = {"filename": value.filename, "size": len(value.data)}
        else:
            out[key] = value
    return out


def _content(plain: str, entities: list[dict[str, Any]], key: str) -> dict[str, Any]:
    content: dict[str, Any] = {key: plain}
    if entities:
        content["caption_entities" if key == "caption" else "entities"] = entities
    return content


def _scope_key(scope: Any) -> str:
    if not scope:
        return "default"
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad("can't parse BotCommandScope JSON object")
    key = str(scope["type"])
    if "chat_id" in scope:
        key += f":{scope['chat_id']}"
    if "user_id" in scope:
        key += f":{scope['user_id']}"
    return key


# -- getting updates ---------------------------------------------------------------------
@method("getMe")
async def get_me(api: BotApi, p: Params) -> Any:
    return {
        **api.state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@method("getUpdates")
async def get_updates(api: BotApi, p: Params) -> Any:
    state = api.state
    if state.webhook is not None:
        raise ApiError(409, WEBHOOK_CONFLICT)
    allowed = p.json("allowed_updates")
    if allowed is not None:
        state.allowed_updates = frozenset(allowed) if allowed else None
    offset = p.int("offset")
    if offset:
        state.confirm(offset)
    limit = min(max(p.int("limit", 100) or 100, 1), 100)
    timeout = min(max(p.float("timeout", 0.0), 0.0), 50.0)
    state.poll_generation += 1
    generation = state.poll_generation
    state.changed()  # an older long poll still waiting is now superseded
    if timeout > 0:
        await state.notifier.wait_until(
            lambda: (
                bool(state.deliverable())
                or state.closing
                or state.poll_generation != generation
                or state.webhook is not None
            ),
            timeout,
        )
    if state.poll_generation != generation:
        raise ApiError(409, POLL_CONFLICT)
    batch = state.deliverable()[:limit]
    for entry in batch:
        entry.returned = True
    return [copy.deepcopy(entry.update) for entry in batch]


@method("setWebhook")
async def set_webhook(api: BotApi, p: Params) -> Any:
    url = p.str("url") or ""
    secret = p.str("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(secret):
        raise bad("bad webhook: secret token contains unallowed characters")
    if url and not re.match(r"https?://", url):
        raise bad("bad webhook: An HTTPS URL must be provided for webhook")
    allowed = p.json("allowed_updates")
    if allowed is not None:
        api.state.allowed_updates = frozenset(allowed) if allowed else None
    if p.bool("drop_pending_updates"):
        api.state.drop_pending()
    if not url:
        api.state.webhook = None
    else:
        api.state.webhook = WebhookInfo(
            url=url, secret_token=secret, max_connections=p.int("max_connections", 40) or 40
        )
    api.state.changed()
    return True


@method("deleteWebhook")
async def delete_webhook(api: BotApi, p: Params) -> Any:
    if p.bool("drop_pending_updates"):
        api.state.drop_pending()
    api.state.webhook = None
    api.state.changed()
    return True


@method("getWebhookInfo")
async def get_webhook_info(api: BotApi, p: Params) -> Any:
    hook = api.state.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(api.state.queue),
    }
    if hook:
        info["max_connections"] = hook.max_connections
        info["ip_address"] = "127.0.0.1"
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        if api.state.allowed_updates is not None:
            info["allowed_updates"] = sorted(api.state.allowed_updates)
    return info


# -- sending -----------------------------------------------------------------------------
@method("sendMessage")
async def send_message(api: BotApi, p: Params) -> Any:
    chat = api._chat(p)
    text = p.str("text")
    plain, entities = _format(p, text, caption=False)
    return api._send(chat, _content(plain, entities, "text"), p, "sendMessage", raw_text=text)


@method("sendDocument")
async def send_document(api: BotApi, p: Params) -> Any:
    chat = api._chat(p)
    caption = p.str("caption")
    plain, entities = _format(p, caption, caption=True)
    stored = api._input_file(p, "document", "document")
    content: dict[str, Any] = {
        "document": {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.filename,
            "mime_type": stored.mime_type,
            "file_size": stored.size,
        }
    }
    content["document"] = {k: v for k, v in content["document"].items() if v is not None}
    if plain:
        content.update(_content(plain, entities, "caption"))
    return api._send(chat, content, p, "sendDocument", raw_text=caption, document=stored)


@method("sendPhoto")
async def send_photo(api: BotApi, p: Params) -> Any:
    chat = api._chat(p)
    caption = p.str("caption")
    plain, entities = _format(p, caption, caption=True)
    stored = api._input_file(p, "photo", "photo")
    content: dict[str, Any] = {"photo": api.state.photo_sizes(stored)}
    if plain:
        content.update(_content(plain, entities, "caption"))
    return api._send(chat, content, p, "sendPhoto", raw_text=caption, photo=stored)


@method("sendChatAction")
async def send_chat_action(api: BotApi, p: Params) -> Any:
    api._chat(p)
    if p.str("action") not in _CHAT_ACTIONS:
        raise bad("wrong parameter action in request")
    return True


# -- editing and deleting ----------------------------------------------------------------
def _editable(api: BotApi, p: Params) -> tuple[Any, Any]:
    """The chat and the bot's own message that an edit method targets, or Telegram's error."""
    if "inline_message_id" in p:
        raise bad("message to edit not found")
    chat = api._chat(p)
    message = api._message(chat, p, "message to edit not found")
    if not message.from_bot:
        raise bad("message can't be edited")
    return chat, message


@method("editMessageText")
async def edit_message_text(api: BotApi, p: Params) -> Any:
    chat, message = _editable(api, p)
    if "text" not in message.json:
        raise bad("there is no text in the message to edit")
    text = p.str("text")
    plain, entities = _format(p, text, caption=False)
    markup, _ = api._markup(p)
    old = message.json
    if (plain, entities, markup) == (old["text"], old.get("entities", []), old.get("reply_markup")):
        raise bad(NOT_MODIFIED.removeprefix("Bad Request: "))
    api._check_flood("editMessageText", chat.id)
    old["text"] = plain
    old.pop("entities", None)
    if entities:
        old["entities"] = entities
    old.pop("reply_markup", None)  # editing without reply_markup removes the keyboard
    if markup is not None:
        old["reply_markup"] = markup
    message.raw_text = text
    message.parse_mode = p.str("parse_mode")
    message.link_preview = api._link_preview(p)
    return api._edited(chat, message)


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(api: BotApi, p: Params) -> Any:
    chat, message = _editable(api, p)
    markup, _ = api._markup(p)
    if markup == message.json.get("reply_markup"):
        raise bad(NOT_MODIFIED.removeprefix("Bad Request: "))
    api._check_flood("editMessageReplyMarkup", chat.id)
    message.json.pop("reply_markup", None)
    if markup is not None:
        message.json["reply_markup"] = markup
    return api._edited(chat, message)


def _delete(api: BotApi, chat: _Chat, message: _Message) -> None:
    message.deleted = True
    chat.deleted_ids.append(message.message_id)
    api.state.changed()


@method("deleteMessage")
async def delete_message(api: BotApi, p: Params) -> Any:
    chat = api._chat(p, sending=False)
    _delete(api, chat, api._message(chat, p, "message to delete not found"))
    return True


@method("deleteMessages")
async def delete_messages(api: BotApi, p: Params) -> Any:
    chat = api._chat(p, sending=False)
    ids = p.json("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad("message_ids must contain 1-100 identifiers")
    for message_id in ids:  # missing ones are skipped, as Telegram does
        message = chat.messages.get(int(message_id))
        if message is not None and not message.deleted:
            _delete(api, chat, message)
    return True


@method("answerCallbackQuery")
async def answer_callback_query(api: BotApi, p: Params) -> Any:
    query_id = p.str("callback_query_id") or ""
    query = api.state.queries.get(query_id)
    if query is None or query.answered:
        raise bad(QUERY_INVALID.removeprefix("Bad Request: "))
    query.answered = True
    api.state.callback_answers.append(
        CallbackAnswer(
            query_id=query_id,
            text=p.str("text"),
            show_alert=p.bool("show_alert"),
            url=p.str("url"),
            chat_id=query.chat_id,
            message_id=query.message_id,
            data=query.data,
        )
    )
    api.state.changed()
    return True


# -- commands, menu, profile -------------------------------------------------------------
@method("setMyCommands")
async def set_my_commands(api: BotApi, p: Params) -> Any:
    commands = p.json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad("can't parse commands JSON object")
    parsed: list[tuple[str, str]] = []
    for item in commands:
        name = str(item.get("command", "")) if isinstance(item, dict) else ""
        if not _COMMAND_NAME_RE.fullmatch(name.removeprefix("/")):
            raise bad("BOT_COMMAND_INVALID")
        description = str(item.get("description", "")).strip()
        if not 1 <= len(description) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        parsed.append((name.removeprefix("/"), description))
    key = (_scope_key(p.json("scope")), p.str("language_code") or "")
    if parsed:
        api.state.commands[key] = parsed
    else:
        api.state.commands.pop(key, None)
    api.state.changed()
    return True


@method("getMyCommands")
async def get_my_commands(api: BotApi, p: Params) -> Any:
    key = (_scope_key(p.json("scope")), p.str("language_code") or "")
    return [{"command": c, "description": d} for c, d in api.state.commands.get(key, [])]


@method("deleteMyCommands")
async def delete_my_commands(api: BotApi, p: Params) -> Any:
    key = (_scope_key(p.json("scope")), p.str("language_code") or "")
    api.state.commands.pop(key, None)
    api.state.changed()
    return True


@method("setChatMenuButton")
async def set_chat_menu_button(api: BotApi, p: Params) -> Any:
    chat_id = api._chat(p, sending=False).id if "chat_id" in p else None
    button = p.json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or "type" not in button:
        raise bad("can't parse menu button JSON object")
    api.state.menu_buttons[chat_id] = button
    return True


@method("getChatMenuButton")
async def get_chat_menu_button(api: BotApi, p: Params) -> Any:
    chat_id = api._chat(p, sending=False).id if "chat_id" in p else None
    buttons = api.state.menu_buttons
    return buttons.get(chat_id) or buttons.get(None) or {"type": "commands"}


def _profile_setter(name: str, field: str) -> None:
    async def setter(api: BotApi, p: Params) -> Any:
        api.state.bot_profile[f"{field}:{p.str('language_code') or ''}"] = p.str(field) or ""
        return True

    method(name)(setter)


_profile_setter("setMyDescription", "description")
_profile_setter("setMyShortDescription", "short_description")
_profile_setter("setMyName", "name")


# -- files and chats ---------------------------------------------------------------------
@method("getFile")
async def get_file(api: BotApi, p: Params) -> Any:
    stored = api.state.files.get(p.str("file_id") or "")
    if stored is None:
        raise bad("invalid file_id")
    if stored.size > MAX_DOWNLOAD:
        raise bad("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


@method("getChat")
async def get_chat(api: BotApi, p: Params) -> Any:
    chat = api._chat(p, sending=False)
    return {
        **chat.json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


@method("leaveChat")
async def leave_chat(api: BotApi, p: Params) -> Any:
    chat = api._chat(p, sending=False)
    if chat.type == "private":
        raise bad("chat member status can't be changed in private chats")
    chat.left = True
    api.state.changed()
    return True
