"""The word model: which grounds the whole story's words point to, beside the rules' clues.

The rules see a clue and its neighbours; many stories carry the link in words around it that no
rule names ("elle a regardé mes enfants et m'a dit que l'immeuble était calme"). A logistic
regression per ground over the story's lemmas and lemma pairs, trained by `python -m nlp.train`
on the same sets as the gate, gives the gate one more fact per candidate, and suggests a ground
on its own only when it is quite sure. Its weights are data, in `nlp/model/words.npz`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.symbols import PROPN
from spacy.tokens import Doc

from nlp.codes import GROUNDS
from nlp.model import shipped
from nlp.rules import GroundHit, Trigger
from nlp.text import token_strings


def terms(doc: Doc) -> dict[str, tuple[int, int]]:
    """The story's lemmas and pairs of adjacent lemmas, each with the token span where it first
    occurs (to show a person which words counted). Punctuation, numbers and names are left
    out: a name says who, not why, and must not end up in the shipped weights."""
    lemmas = token_strings(doc)[2]
    names = doc.to_array("POS") == PROPN  # one array, not a Token object per word
    kept = [i for i, lem in enumerate(lemmas) if not names[i] and _lettered(lem)]
    found: dict[str, tuple[int, int]] = {}
    for k, i in enumerate(kept):
        found.setdefault(lemmas[i], (i, i + 1))
        if k + 1 < len(kept) and kept[k + 1] == i + 1:
            found.setdefault(f"{lemmas[i]} {lemmas[i + 1]}", (i, i + 2))
    return found


@lru_cache(maxsize=200_000)
def _lettered(lemma: str) -> bool:
    """Does it hold a letter? Asked for every word of every story: the same few thousand."""
    return any(ch.isalpha() for ch in lemma)


def vocabulary(stories: list[list[str]], min_stories: int) -> dict[str, int]:
    """The terms seen in at least `min_stories` stories, numbered in sorted order."""
    counts = Counter(t for story in stories for t in set(story))
    return {t: i for i, t in enumerate(sorted(t for t, n in counts.items() if n >= min_stories))}


def indexed(story: list[str], vocabulary: dict[str, int]) -> np.ndarray:
    return np.array([vocabulary[t] for t in story if t in vocabulary], dtype=np.int64)


def fit(
    docs: list[np.ndarray], y: np.ndarray, n_terms: int, l2: float, steps: int = 300
) -> np.ndarray:
    """Logistic regressions, one per column of `y`, by full-batch gradient descent with
    Nesterov momentum from zeros (deterministic). `docs` holds each story's term indices; row
    `n_terms` is the bias."""
    lengths = np.array([len(d) + 1 for d in docs])
    indices = np.concatenate([np.append(d, n_terms) for d in docs]).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = np.repeat(np.arange(len(docs)), lengths)
    order = np.argsort(indices, kind="stable")
    ordered, rows_by_term = indices[order], rows[order]
    firsts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    present = ordered[firsts]
    target = y.astype(np.float32)
    w = np.zeros((n_terms + 1, y.shape[1]), np.float32)
    ahead = w.copy()
    penalty = np.full((n_terms + 1, 1), l2, np.float32)
    penalty[n_terms] = 0.0
    for step in range(steps):
        z = np.add.reduceat(ahead[indices], starts, axis=0)
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        error = (p - target) / len(docs)
        grad = penalty * ahead
        grad[present] += np.add.reduceat(error[rows_by_term], firsts, axis=0)
        last, w = w, ahead - 2.0 * grad
        ahead = w + (step / (step + 3)) * (w - last)
    return w.astype(np.float64)


@dataclass(frozen=True)
class WordModel:
    index: dict[str, int]
    weights: np.ndarray  # (len(index) + 1, len(GROUNDS)); the last row is the bias

    @classmethod
    def load(cls) -> WordModel | None:
        """The shipped model, or None when none was trained."""
        data = shipped("words.npz")
        if data is None:
            return None
        names = list(data["terms"])
        return cls({t: i for i, t in enumerate(names)}, data["weights"].astype(np.float32))

    def probabilities(self, found: dict[str, tuple[int, int]]) -> dict[str, float]:
        rows = [i for t in found if (i := self.index.get(t)) is not None]
        z = self.weights[rows].sum(axis=0) + self.weights[-1]
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        return dict(zip(GROUNDS, p.tolist(), strict=True))

    def hit(
        self, doc: Doc, found: dict[str, tuple[int, int]], code: str, p: float
    ) -> GroundHit | None:
        """A ground suggested by the words alone, shown with up to three of the words that
        weighed most for it; None when none of them is worth showing."""
        column = GROUNDS.index(code)
        weighed = sorted(
            (-float(self.weights[i, column]), term)
            for term in found
            if (i := self.index.get(term)) is not None and self.weights[i, column] > 0
        )
        triggers: list[Trigger] = []
        for _, term in weighed:
            s, e = found[term]
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            span = doc[s:e]
            if (
                all(t.is_stop for t in span)  # "vous", "j'ai" say nothing
                or any(t.pos_ == "PROPN" for t in span)  # a name is not a reason to show
                or any(start < t.end and t.start < end for t in triggers)  # one "copain"
            ):
                continue
            triggers.append(Trigger(start, end, span.text))  # doc.text would rebuild it all
            if len(triggers) == 3:
                break
        if not triggers:
            return None
        return GroundHit(code, round(p, 3), tuple(sorted(triggers, key=lambda t: t.start)))
