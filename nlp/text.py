"""Text helpers shared by the rules and the redactor."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lowercase, without accents, with straight apostrophes: what people type without accents."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def clean(text: str) -> str:
    """Same characters, same length: only apostrophes straightened (offsets stay valid)."""
    return text.translate(_APOSTROPHES)
