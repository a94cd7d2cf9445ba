"""The spaCy pipeline, loaded once per process with only the components Vécus needs.

Lemmas need the morphologizer (and its tok2vec); the NER finds names and places to redact. The
parser is excluded: the window rules over tokens do the negation work (engineering notes).
A last component folds NORM and LEMMA (lowercase, no accents), after every statistical
component so that their features are untouched; the phrase matchers then see "etrangere" and
"étrangère" alike. It also gives back the apostrophe that texting drops: the NORM of "d" in
"chien d assistance" is "d'", as in the lexicon's "chien d'assistance".
"""

from __future__ import annotations

import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlp.text import fold

MODEL = "fr_core_news_sm"
ELIDED = frozenset(("c", "d", "j", "l", "m", "n", "s", "t", "qu"))  # "j ai", "l appart", "qu il"
EXCLUDE = ("parser", "senter")
_lock = threading.Lock()
_nlp: Language | None = None


@Language.component("vecus_fold")
def fold_tokens(doc: Doc) -> Doc:
    last = len(doc) - 1
    for token in doc:
        norm = fold(token.text)
        if norm in ELIDED and token.whitespace_ and token.i < last and doc[token.i + 1].is_alpha:
            norm += "'"
        if norm != token.norm_:  # writing costs more than comparing: most words are unchanged
            token.norm_ = norm
        lemma = token.lemma_ or token.text
        folded = fold(lemma)
        if folded != lemma:
            token.lemma_ = folded
    return doc


def load() -> Language:
    """The shared pipeline; thread-safe, loaded on first use (about 3 s)."""
    global _nlp
    with _lock:
        if _nlp is None:
            nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
            nlp.add_pipe("vecus_fold", last=True)
            _nlp = nlp
        return _nlp


def bare() -> Language:
    """The same statistical components without our additions: the benchmark's baseline."""
    return spacy.load(MODEL, exclude=list(EXCLUDE))
