"""Is this text French? Function words decide: cheap, and good enough to know whether the French
rules may speak. A text with too few words to tell counts as French (nothing is lost: the
rules find nothing in "ok" either)."""

from __future__ import annotations

import re
from functools import cache

from nlp.text import fold

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SHORT = 3  # fewer words than this: cannot tell
LANGUAGES = ("fr", "en", "es", "pt", "it", "de")  # in this order, the first best wins
_ASCII = re.compile(r"[\x00-\x7f]+")
# Words of chat French that spaCy's list lacks, folded.
_FR_EXTRA = {"jsuis", "chui", "jai", "cest", "pcq", "ya", "pas", "jme", "jpeux", "tt", "bcp"}


@cache
def _languages() -> dict[str, tuple[str, ...]]:
    """Each folded function word with the languages it belongs to: one lookup per word."""
    from spacy.lang.de.stop_words import STOP_WORDS as de
    from spacy.lang.en.stop_words import STOP_WORDS as en
    from spacy.lang.es.stop_words import STOP_WORDS as es
    from spacy.lang.fr.stop_words import STOP_WORDS as fr
    from spacy.lang.it.stop_words import STOP_WORDS as it
    from spacy.lang.pt.stop_words import STOP_WORDS as pt

    lists = {"fr": set(fr) | _FR_EXTRA, "en": en, "es": es, "pt": pt, "it": it, "de": de}
    found: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for word in {fold(w) for w in lists[lang]}:
            found.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in found.items()}


def _mostly_latin(text: str) -> bool:
    """Are at least half the letters Latin? Only the few non-ASCII characters are looked at
    one by one."""
    letters = sum(map(str.isalpha, text))
    foreign = sum(
        ch.isalpha() and not ("À" <= ch <= "ÿ" or ch in "œŒ") for ch in _ASCII.sub("", text)
    )
    return not letters or letters - foreign >= 0.5 * letters


def detect(text: str, words: list[str] | None = None) -> str:
    """'fr', 'en', 'es', 'pt', 'it', 'de', or 'other' (another script or no known word).
    `words`, when given, are the text's words already folded (spaCy's tokens)."""
    if not text.isascii() and not _mostly_latin(text):
        return "other"
    if words is None:
        words = [fold(w) for w in _WORD.findall(text.replace("'", " ").replace("’", " "))]
    if len(words) < _SHORT:
        return "fr"
    languages = _languages()
    scores = dict.fromkeys(LANGUAGES, 0)
    for word in words:
        for lang in languages.get(word, ()):
            scores[lang] += 1
    best = max(scores, key=lambda lang: (scores[lang], lang == "fr"))
    if scores[best] == 0:
        return "fr" if len(words) < 2 * _SHORT else "other"
    return best
