"""Is this text French? Function words decide: cheap, and good enough to know whether the French
rules may speak. A text with too few words to tell counts as French (nothing is lost: the
rules find nothing in "ok" either)."""

from __future__ import annotations

import re
from functools import cache

from nlp.text import fold

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SHORT = 3  # fewer words than this: cannot tell
# Words of chat French that spaCy's list lacks, folded.
_FR_EXTRA = {"jsuis", "chui", "jai", "cest", "pcq", "ya", "pas", "jme", "jpeux", "tt", "bcp"}


@cache
def _stop_words() -> dict[str, frozenset[str]]:
    from spacy.lang.de.stop_words import STOP_WORDS as de
    from spacy.lang.en.stop_words import STOP_WORDS as en
    from spacy.lang.es.stop_words import STOP_WORDS as es
    from spacy.lang.fr.stop_words import STOP_WORDS as fr
    from spacy.lang.it.stop_words import STOP_WORDS as it
    from spacy.lang.pt.stop_words import STOP_WORDS as pt

    lists = {"fr": set(fr) | _FR_EXTRA, "en": en, "es": es, "pt": pt, "it": it, "de": de}
    return {lang: frozenset(fold(w) for w in words) for lang, words in lists.items()}


def detect(text: str, words: list[str] | None = None) -> str:
    """'fr', 'en', 'es', 'pt', 'it', 'de', or 'other' (another script or no known word).
    `words`, when given, are the text's words already folded (spaCy's tokens)."""
    if not text.isascii():
        letters = [ch for ch in text if ch.isalpha()]
        latin = sum(ch.isascii() or "À" <= ch <= "ÿ" or ch in "œŒ" for ch in letters)
        if letters and latin < 0.5 * len(letters):
            return "other"
    if words is None:
        words = [fold(w) for w in _WORD.findall(text.replace("'", " ").replace("’", " "))]
    if len(words) < _SHORT:
        return "fr"
    scores = {lang: sum(w in stops for w in words) for lang, stops in _stop_words().items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "fr"))
    if scores[best] == 0:
        return "fr" if len(words) < 2 * _SHORT else "other"
    return best
