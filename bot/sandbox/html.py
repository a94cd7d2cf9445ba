"""Telegram's HTML parse mode, checked the strict way.

Telegram turns ``parse_mode=HTML`` text into plain text plus entities, and refuses a message
whose markup it cannot parse. The sandbox does the same so that a bot which forgets to escape
user text fails in tests rather than in front of a resident. It is slightly stricter than
Telegram on one point: a bare ``&`` or ``>`` is refused (Telegram tolerates them), because the
same bug lets ``&lt;`` typed by a user be rendered as ``<``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["HtmlError", "parse_html", "strip_text", "utf16_len"]

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_RE = re.compile(
    r"""\s*([A-Za-z_][A-Za-z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"""
)


class HtmlError(ValueError):
    """Markup Telegram would refuse; ``str()`` is the text after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, i: int) -> tuple[str, int]:
    match = _ENTITY_RE.match(text, i)
    if match is None:
        raise HtmlError(
            f"Character '&' must be escaped as &amp; (byte offset {_byte_offset(text, i)})"
        )
    named, dec, hexa = match.groups()
    if named:
        return _NAMED[named], match.end()
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise HtmlError(f"Invalid character reference at byte offset {_byte_offset(text, i)}")
    return chr(code), match.end()


def _unescape(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            char, i = _decode_entity(value, i)
            out.append(char)
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _entity_for(name: str, attrs: dict[str, str], offset: int, in_pre: bool) -> dict[str, Any]:
    kind = _ENTITY_TYPES[name]
    entity: dict[str, Any] = {"type": kind, "offset": offset}
    if name == "a":
        if not attrs.get("href"):
            raise HtmlError('Tag "a" must have attribute "href"')
        entity["url"] = attrs["href"]
    elif name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError('Tag "span" must have class "tg-spoiler"')
    elif name == "tg-emoji":
        if not attrs.get("emoji-id"):
            raise HtmlError('Tag "tg-emoji" must have attribute "emoji-id"')
        entity["custom_emoji_id"] = attrs["emoji-id"]
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "code" and in_pre and attrs.get("class", "").startswith("language-"):
        entity["language"] = attrs["class"].removeprefix("language-")
    return entity


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) for Telegram HTML, or raise :class:`HtmlError`.

    Entity offsets and lengths are in UTF-16 code units, as in Telegram's ``MessageEntity``.
    """
    plain: list[str] = []
    position = 0  # UTF-16 offset in the plain text
    stack: list[tuple[str, dict[str, Any]]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            decoded, i = _decode_entity(text, i)
            plain.append(decoded)
            position += utf16_len(decoded)
            continue
        if char == ">":
            raise HtmlError(
                f"Character '>' must be escaped as &gt; (byte offset {_byte_offset(text, i)})"
            )
        if char != "<":
            plain.append(char)
            position += utf16_len(char)
            i += 1
            continue
        start = i
        end = text.find(">", i)
        if end == -1:
            raise HtmlError(f"Unclosed start tag at byte offset {_byte_offset(text, start)}")
        if text.startswith("</", i):
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {_byte_offset(text, start)}")
            open_name, entity = stack[-1]
            if name != open_name:
                raise HtmlError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, start)}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            stack.pop()
            entity["length"] = position - entity["offset"]
            if entity["length"] > 0 and not entity.pop("_merged", False):
                entities.append(entity)
            i = end + 1
            continue
        match = _NAME_RE.match(text, i + 1)
        name = match.group(0).lower() if match else ""
        if name not in _ENTITY_TYPES:
            shown = name or text[i + 1 : end].split(" ")[0]
            raise HtmlError(
                f'Unsupported start tag "{shown}" at byte offset {_byte_offset(text, start)}'
            )
        assert match is not None
        attrs: dict[str, str] = {}
        rest = text[match.end() : end]
        pos = 0
        while rest[pos:].strip():
            attr = _ATTR_RE.match(rest, pos)
            if attr is None or attr.end() == pos:
                raise HtmlError(
                    f'Unclosed start tag "{name}" at byte offset {_byte_offset(text, start)}'
                )
            value = next((v for v in attr.groups()[1:] if v is not None), "")
            attrs[attr.group(1).lower()] = _unescape(value)
            pos = attr.end()
        in_pre = bool(stack) and stack[-1][0] == "pre"
        entity = _entity_for(name, attrs, position, in_pre)
        if name == "code" and in_pre:  # <pre><code class="language-x"> is one pre entity
            if "language" in entity:
                stack[-1][1]["language"] = entity.pop("language")
            entity["_merged"] = True
        stack.append((name, entity))
        i = end + 1
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace as Telegram does, shifting entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        begin = min(max(entity["offset"] - shift, 0), limit)
        end = min(max(entity["offset"] + entity["length"] - shift, 0), limit)
        if end > begin:
            kept.append({**entity, "offset": begin, "length": end - begin})
    return stripped, kept
