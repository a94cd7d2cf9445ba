"""spaCy's NER, run only around the words that can belong to a name or a place.

The NER costs half of spaCy's time, and most of a testimony holds no name. The redactor keeps an
entity only if one of its words is a proper noun (`Redactor._entities`), so the NER reads only
windows of WINDOW words around each proper noun, glued into one short doc. Its own tok2vec sees
four words on each side, so a proper noun and its two neighbours get the same vectors as in the
whole text; an entity opened further back, from a cut context, may differ. Capitalised words that
are not stop words open windows too: without them, two names the whole-text NER finds were lost
(one spelled letter by letter, "M-B-A-Y-E", and a département).

Measured on the 5,871 corpus and redaction texts: the NER reads a third of the words; it finds
2,975 of the 2,977 names and places it finds in the whole texts (the places and address layers
catch the other two, a town and a street name), and the redaction of every text is the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.attrs import IS_STOP, NORM, ORTH, POS
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.strings import StringStore
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span
from spacy.util import minibatch

NEAR_NAMES = "vecus_near_names"
WINDOW = 6  # 4 and 5 each changed the redaction of 3 or 4 texts out of 5,871


class NearNames:
    def __init__(self, ner: EntityRecognizer) -> None:
        self.ner = ner
        self.capitalised: dict[int, bool] = {}  # by ORTH hash: most words recur

    def __call__(self, doc: Doc) -> Doc:
        picked, near = self._near(doc)
        if near is not None:
            self.ner(near)
        return self._entities(doc, picked, near)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Batches go through the NER together, as in spaCy's own pipeline."""
        for batch in minibatch(docs, size=batch_size):
            prepared = [self._near(doc) for doc in batch]
            nears = [near for _, near in prepared if near is not None]
            list(self.ner.pipe(nears, batch_size=len(nears) or 1))  # writes into each near doc
            for doc, (picked, near) in zip(batch, prepared, strict=True):
                yield self._entities(doc, picked, near)

    def _near(self, doc: Doc) -> tuple[list[int], Doc | None]:
        """The index of each word kept, and the doc they make: None when nothing can be a name."""
        words = doc.to_array([ORTH, NORM, IS_STOP, POS])
        strings = doc.vocab.strings
        picked: list[int] = []
        last = len(doc)
        end = 0
        for i, (orth, _, is_stop, pos) in enumerate(words.tolist()):
            if pos == PROPN or (not is_stop and self._capitalised(strings, orth)):
                start = max(end, i - WINDOW)
                end = min(last, i + WINDOW + 1)
                picked.extend(range(start, end))
        if not picked:
            return picked, None
        near = Doc(doc.vocab, words=[strings[o] for o in words[picked, 0].tolist()])
        near.from_array([NORM], words[picked, 1:2])  # the NORMs the tokenizer chose
        return picked, near

    @staticmethod
    def _entities(doc: Doc, picked: list[int], near: Doc | None) -> Doc:
        """The near doc's entities, back on the whole doc; every other word is outside."""
        entities = []
        for ent in near.ents if near is not None else ():
            start = ent.start  # an entity across two windows is cut in two: redact more, not less
            for k in range(ent.start + 1, ent.end + 1):
                if k == ent.end or picked[k] != picked[k - 1] + 1:
                    entities.append(Span(doc, picked[start], picked[k - 1] + 1, ent.label))
                    start = k
        doc.set_ents(entities, default="outside")
        return doc

    def _capitalised(self, strings: StringStore, orth: int) -> bool:
        found = self.capitalised.get(orth)
        if found is None:
            if len(self.capitalised) > 200_000:
                self.capitalised.clear()
            found = self.capitalised[orth] = strings[orth][:1].isupper()
        return found


@Language.factory(NEAR_NAMES)
def near_names(nlp: Language, name: str) -> NearNames:
    """Wraps the pipeline's own NER, which `load` keeps disabled."""
    return NearNames(nlp.get_pipe("ner"))
