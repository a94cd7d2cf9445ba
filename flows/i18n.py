"""Message catalogues (flows/catalog/<lang>.toml) and dates in words, through Babel.

Catalogue texts are trusted markup (a few <b>, <i>, <code>); parameters are the user's or the
database's words. `text` escapes every parameter that is not already `Html` (a text made from the
catalogue), so fragments nest safely: the review quotes a story inside a catalogue line, inside
a catalogue message. A missing key in English falls back to French.
"""

from __future__ import annotations

import html
import tomllib
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from babel.dates import format_date

LANGS = ("fr", "en")
DEFAULT = "fr"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value).strip("\n")
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    text = resources.files("flows.catalog").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(text))


def lang_of(code: str | None) -> str:
    """Telegram's language_code ("fr", "en-GB", None) to a catalogue language."""
    return "en" if (code or "").lower().startswith("en") else DEFAULT


class Html(str):
    """Text that is already safe markup: not escaped again."""


def escape(value: Any) -> Html:
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=False))


def join(separator: str, parts: Iterable[Any]) -> Html:
    return Html(separator.join(escape(p) for p in parts))


def text(key: str, lang: str, **params: Any) -> Html:
    template = catalog(lang).get(key) or catalog(DEFAULT).get(key)
    if template is None:
        raise KeyError(f"no text for {key!r}")
    if not params:
        return Html(template)
    return Html(template.format(**{k: escape(v) for k, v in params.items()}))


def month_year(value: str | None, lang: str) -> str:
    """'2026-03' -> 'mars 2026' / 'March 2026'; None -> the words for "I don't remember"."""
    if not value:
        return text("when.unknown_short", lang)
    year, _, month = value.partition("-")
    if not month:
        return year
    locale = "fr_FR" if lang == "fr" else "en_GB"
    return format_date(date(int(year), int(month), 1), "MMMM y", locale=locale)


def month_name(month: int, lang: str) -> str:
    locale = "fr_FR" if lang == "fr" else "en_GB"
    return format_date(date(2000, month, 1), "MMMM", locale=locale)
