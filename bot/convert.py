"""Telegram updates to flow events. Only what the flows need crosses; files are fetched only
when small enough to be kept as evidence."""

from __future__ import annotations

from telegram import Message, Update

from flows import Event
from flows.engine import MEDIA_KEYS

MAX_FILE_BYTES = 5 * 1024 * 1024
# Telegram message attributes the flows know under another name.
ALIASES = {"venue": "location", "dice": "sticker", "game": "other", "story": "other"}


def parse_callback(data: str | None) -> tuple[int | None, str]:
    """'17:g:origine' -> (17, 'g:origine'); anything else is refused as (None, '')."""
    if not data or len(data.encode()) > 64:
        return None, ""
    turn, _, value = data.partition(":")
    if not turn.isdigit() or not value or not value.isascii():
        return None, ""
    return int(turn), value


def callback_data(turn: int, value: str) -> str:
    data = f"{turn}:{value}"
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {value!r}")
    return data


async def to_event(update: Update) -> Event | None:
    lang = update.effective_user.language_code if update.effective_user else None
    uid = update.update_id
    if update.callback_query is not None:
        turn, value = parse_callback(update.callback_query.data)
        return Event("choice", value, turn=turn, update_id=uid, lang=lang)
    if update.edited_message is not None:
        return Event("edited", update_id=uid, lang=lang)
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return _text(message, uid, lang)
    if message.photo:
        largest = message.photo[-1]
        data = await _fetch(message, largest.file_id, largest.file_size)
        return Event("media", "photo", data=data, filename="photo.jpg", mime="image/jpeg",
                     update_id=uid, lang=lang)  # fmt: skip
    if message.document is not None:
        doc = message.document
        data = await _fetch(message, doc.file_id, doc.file_size)
        return Event("media", "document", data=data, filename=doc.file_name or "document",
                     mime=doc.mime_type or "", update_id=uid, lang=lang)  # fmt: skip
    kind = next((k for k in (*MEDIA_KEYS, *ALIASES) if getattr(message, k, None)), "other")
    return Event("media", ALIASES.get(kind, kind), update_id=uid, lang=lang)


def _text(message: Message, uid: int, lang: str | None) -> Event:
    text = message.text or ""
    entity = message.entities[0] if message.entities else None
    if entity is not None and entity.type == "bot_command" and entity.offset == 0:
        name = text[1 : entity.length].split("@", 1)[0].lower()
        return Event("command", name, arg=text[entity.length :].strip(), update_id=uid, lang=lang)
    return Event("text", text, update_id=uid, lang=lang)


async def _fetch(message: Message, file_id: str, size: int | None) -> bytes:
    """The file's bytes, or nothing when it is too big to keep (the flow then says so)."""
    if size is not None and size > MAX_FILE_BYTES:
        return b""
    file = await message.get_bot().get_file(file_id)
    data = bytes(await file.download_as_bytearray())
    return data if len(data) <= MAX_FILE_BYTES else b""
