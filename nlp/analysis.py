"""`analyse(text)`: the grounds a story points to, and a redacted excerpt, in one pass of spaCy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc

from nlp.gate import Gate, Trained
from nlp.language import detect
from nlp.pipeline import load
from nlp.redact import PiiSpan, Redactor
from nlp.rules import GroundHit, GroundRules
from nlp.text import clean, token_strings

# Longer texts are analysed on their first MAX_CHARS characters (about 1,700 words, ~0.2 s);
# the whole narrative is still what gets sealed and stored.
MAX_CHARS = 10_000


@dataclass(frozen=True)
class Analysis:
    grounds: tuple[GroundHit, ...]
    redacted: str
    pii: tuple[PiiSpan, ...]
    language: str  # fr, en, es, pt, it, de, other
    truncated: bool

    @property
    def is_french(self) -> bool:
        return self.language == "fr"

    def codes(self) -> tuple[str, ...]:
        return tuple(hit.code for hit in self.grounds)


class Analyser:
    def __init__(self, territory_names: tuple[str, ...] = ()) -> None:
        self.nlp = load()
        self.rules = GroundRules(self.nlp)
        self.gate = Gate(self.rules, Trained.load())
        self.redactor = Redactor(self.nlp, territory_names)

    def analyse(self, text: str) -> Analysis:
        raw = text or ""
        prepared = clean(raw)[:MAX_CHARS]
        return self._finish(self.nlp(prepared), prepared, len(raw) > MAX_CHARS)

    def analyse_batch(self, texts: Iterable[str], batch_size: int = 32) -> list[Analysis]:
        texts = [t or "" for t in texts]
        prepared = [clean(t)[:MAX_CHARS] for t in texts]
        truncated = [len(t) > MAX_CHARS for t in texts]
        docs = self.nlp.pipe(prepared, batch_size=batch_size)
        return [
            self._finish(doc, text, cut)
            for doc, text, cut in zip(docs, prepared, truncated, strict=True)
        ]

    def _finish(self, doc: Doc, text: str, truncated: bool) -> Analysis:
        """`text` is the doc's text, passed along: `doc.text` rebuilds it token by token."""
        texts, norms, _ = token_strings(doc)  # read once, shared with the rules and the gate
        words = [
            n.strip("'")
            for w, n in zip(texts, norms, strict=True)
            if w.isalpha() or n.endswith("'")
        ]
        language = detect(text, words)
        redacted, pii = self.redactor.redact(doc, text)
        grounds = tuple(self.gate(doc)) if language == "fr" else ()
        return Analysis(grounds, redacted, tuple(pii), language, truncated)


@cache
def default_analyser() -> Analyser:
    return Analyser()


def analyse(text: str) -> Analysis:
    return default_analyser().analyse(text)


def analyse_batch(texts: Iterable[str], batch_size: int = 32) -> list[Analysis]:
    return default_analyser().analyse_batch(texts, batch_size)
