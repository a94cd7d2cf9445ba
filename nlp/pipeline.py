"""The spaCy pipeline, loaded once per process with only the components Vécus needs.

Lemmas need the morphologizer (and its tok2vec); the NER finds names and places to redact. The
parser is excluded: the window rules over tokens do the negation work (engineering notes).
A last component folds NORM and LEMMA (lowercase, no accents), after every statistical
component so that their features are untouched; the phrase matchers then see "etrangere" and
"étrangère" alike. It also gives back the apostrophe that texting drops: the NORM of "d" in
"chien d assistance" is "d'", as in the lexicon's "chien d'assistance"; and the tokenizer splits
words that texting glues ("jsuis", "lagence"), and "ma dit" reads as "m'a dit": both listed in
the lexicon's [texting] table.
"""

from __future__ import annotations

import threading
import tomllib
from importlib import resources

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from nlp.text import fold

MODEL = "fr_core_news_sm"
TEXTING = tomllib.loads(
    resources.files("nlp.lexicon").joinpath("fr.toml").read_text(encoding="utf-8")
)["texting"]
TOLD = frozenset(TEXTING["told"])
ELIDED = frozenset(("c", "d", "j", "l", "m", "n", "s", "t", "qu"))  # "j ai", "l appart", "qu il"
EXCLUDE = ("parser", "senter")
_lock = threading.Lock()
_nlp: Language | None = None


@Language.component("vecus_fold")
def fold_tokens(doc: Doc) -> Doc:
    last = len(doc) - 1
    for token in doc:
        norm = fold(token.text)
        if norm in ELIDED and token.i < last and doc[token.i + 1].is_alpha:
            norm += "'"
        elif norm == "ma" and token.i < last and doc[token.i + 1].lower_ in TOLD:
            norm = "m'"
        if norm != token.norm_:  # writing costs more than comparing: most words are unchanged
            token.norm_ = norm
        lemma = token.lemma_ or token.text
        folded = fold(lemma)
        if folded != lemma:
            token.lemma_ = folded
    return doc


def texting_splits() -> list[tuple[str, list[str]]]:
    """Each glued texting word, as typed in lowercase, Capitalised and CAPITALS, with its pieces."""
    found = []
    for split in TEXTING["splits"]:
        pieces = split.split("|")
        for case in (pieces, [pieces[0].capitalize(), *pieces[1:]], [p.upper() for p in pieces]):
            found.append(("".join(case), case))
    return found


def load() -> Language:
    """The shared pipeline; thread-safe, loaded on first use (about 3 s)."""
    global _nlp
    with _lock:
        if _nlp is None:
            nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
            for word, pieces in texting_splits():
                nlp.tokenizer.add_special_case(word, [{ORTH: p} for p in pieces])
            nlp.add_pipe("vecus_fold", last=True)
            _nlp = nlp
        return _nlp


def bare() -> Language:
    """The same statistical components without our additions: the benchmark's baseline."""
    return spacy.load(MODEL, exclude=list(EXCLUDE))
