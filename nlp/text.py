"""Text helpers shared by the rules, the gate, the word model and the redactor."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from spacy.tokens import Doc

TOKENS = "vecus_tokens"  # the key of token_strings' lists in doc.user_data
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lowercase, without accents, with straight apostrophes: what people type without accents."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def clean(text: str) -> str:
    """Same characters, same length: only apostrophes straightened (offsets stay valid)."""
    return text.translate(_APOSTROPHES)


def token_strings(doc: Doc) -> tuple[list[str], list[str], list[str]]:
    """Each token's text, folded form and folded lemma, read once per doc: spaCy builds a
    Token object on every access, which costs more than the rules themselves. The pipeline's
    last component (`nlp.pipeline.fold_tokens`) leaves them ready."""
    strings = doc.user_data.get(TOKENS)
    if strings is None:
        texts, norms, lemmas = [], [], []
        for t in doc:
            texts.append(t.text)
            norms.append(t.norm_)
            lemmas.append(t.lemma_)
        strings = doc.user_data[TOKENS] = (texts, norms, lemmas)
    return strings


def folded_words(doc: Doc) -> str:
    """ " j' ai ete refuse ... ": the folded words, spaced, for phrase lookups; built once."""
    words = doc.user_data.get("vecus_words")
    if words is None:
        words = doc.user_data["vecus_words"] = " " + " ".join(token_strings(doc)[1]) + " "
    return words
