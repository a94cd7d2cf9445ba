"""The spaCy pipeline, loaded once per process with only the components Vécus needs.

Lemmas need the morphologizer (and its tok2vec); the NER finds names and places to redact, run
only near the words that can be one (`nlp.entities`). The parser is excluded: the window rules
over tokens do the negation work (engineering notes); so is the attribute ruler, whose only rules
copy each POS to TAG, which nothing here reads (lemmas stay the same: the lemmatizer reads POS).
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

import numpy
import spacy
from spacy.attrs import IS_ALPHA, LEMMA, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc

from nlp.entities import NEAR_NAMES
from nlp.text import TOKENS, fold

MODEL = "fr_core_news_sm"
TEXTING = tomllib.loads(
    resources.files("nlp.lexicon").joinpath("fr.toml").read_text(encoding="utf-8")
)["texting"]
TOLD = frozenset(TEXTING["told"])
ELIDED = frozenset(("c", "d", "j", "l", "m", "n", "s", "t", "qu"))  # "j ai", "l appart", "qu il"
EXCLUDE = ("parser", "senter", "attribute_ruler")
_lock = threading.Lock()
_nlp: Language | None = None


class _Folded:
    """Folded strings by StringStore hash, and the hash of each: most words recur, and a dict
    answers faster than the StringStore or a Token. Bounded, like `fold`'s own cache. Not for
    spaCy's memory zones (nothing here uses them): a zone would forget strings kept here."""

    def __init__(self, strings: StringStore) -> None:
        self.strings = strings
        self.by_hash: dict[int, tuple[int, str]] = {}
        self.texts: dict[int, str] = {}
        self.elided = {strings.add(w): (strings.add(w + "'"), w + "'") for w in ELIDED}
        self.told = {strings.add(w) for w in TOLD}
        self.ma, self.m_apostrophe = strings.add("ma"), (strings.add("m'"), "m'")

    def __call__(self, key: int) -> tuple[int, str]:
        found = self.by_hash.get(key)
        if found is None:
            if len(self.by_hash) > 200_000:
                self.by_hash.clear()
            text = fold(self.strings[key])
            found = self.by_hash[key] = (self.strings.add(text), text)
        return found

    def text(self, key: int) -> str:
        found = self.texts.get(key)
        if found is None:
            if len(self.texts) > 200_000:
                self.texts.clear()
            found = self.texts[key] = self.strings[key]
        return found


_folder: _Folded | None = None  # for the last vocabulary seen: one pipeline per process


@Language.component("vecus_fold")
def fold_tokens(doc: Doc) -> Doc:
    """NORM and LEMMA folded, written in one array; the token strings that the rules, the gate
    and the redactor read are kept in `doc.user_data` (see `nlp.text.token_strings`)."""
    global _folder
    folder = _folder
    if folder is None or folder.strings is not doc.vocab.strings:
        folder = _folder = _Folded(doc.vocab.strings)
    orths, lemma_keys, alpha, lower = doc.to_array([ORTH, LEMMA, IS_ALPHA, LOWER]).T.tolist()
    last = len(orths) - 1
    texts, norms, lemmas, norm_keys, folded_lemma_keys = [], [], [], [], []
    for i, orth in enumerate(orths):
        base_key, base = folder(orth)
        key, norm = base_key, base
        if key in folder.elided and i < last and alpha[i + 1]:
            key, norm = folder.elided[key]  # "chien d assistance": the apostrophe texting drops
        elif key == folder.ma and i < last and lower[i + 1] in folder.told:
            key, norm = folder.m_apostrophe  # "la proprio ma dit"
        text = folder.text(orth)
        texts.append(text)
        norms.append(norm)
        norm_keys.append(key)
        if lemma_keys[i]:
            key, lemma = folder(lemma_keys[i])
        elif base != text:  # no lemma (a bare tokenizer): the folded text, if folding changed it
            key, lemma = base_key, base
        else:
            key, lemma = 0, ""
        lemmas.append(lemma)
        folded_lemma_keys.append(key)
    if orths:
        doc.from_array([NORM, LEMMA], numpy.array([norm_keys, folded_lemma_keys], "uint64").T)
    doc.user_data[TOKENS] = (texts, norms, lemmas)
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
            nlp = spacy.load(MODEL, exclude=list(EXCLUDE), disable=["ner"])
            for word, pieces in texting_splits():
                nlp.tokenizer.add_special_case(word, [{ORTH: p} for p in pieces])
            nlp.add_pipe(NEAR_NAMES, last=True)  # the NER, near possible names only
            nlp.add_pipe("vecus_fold", last=True)
            _nlp = nlp
        return _nlp


def bare() -> Language:
    """The same statistical components without our additions: the benchmark's baseline."""
    return spacy.load(MODEL, exclude=list(EXCLUDE))
