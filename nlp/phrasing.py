"""The phrasing model: how a clue is said, read from spaCy's own token vectors around it.

The rules see a clue and a few words of context; the word model, which words the whole story
holds. Neither sees the shape of the sentence: "elle m'a dit que les handicapés c'était pas
possible ici" and "je suis handicapé et ma demande attend" hold the same clue. The tok2vec that
the morphologizer runs anyway leaves a 96-number vector per token that describes the token in
its neighbourhood (`doc.tensor`, free at analysis time). The mean over the clue and the mean
over the clue and five words either side go through one logistic regression per ground
(weights shared across grounds plus each ground's own), which gives the gate one more fact per
candidate. Trained by `python -m nlp.train`; its weights are data, in `nlp/model/phrasing.npz`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from nlp.codes import GROUNDS
from nlp.model import shipped
from nlp.rules import Candidate

WINDOW = 5
WIDTH = 96  # fr_core_news_sm's tok2vec


def pooled(doc: Doc, candidate: Candidate) -> np.ndarray:
    """The clue's mean vector and the mean over the clue and WINDOW tokens either side."""
    tensor = doc.tensor
    if tensor is None or tensor.shape != (len(doc), WIDTH):
        raise ValueError(f"the pipeline must keep its tok2vec: doc.tensor of width {WIDTH}")
    clue, around = set(), set()
    for start, end, _ in candidate.clues:
        clue.update(range(start, end))
        around.update(range(max(0, start - WINDOW), min(len(doc), end + WINDOW)))
    return np.concatenate([tensor[sorted(clue)].mean(axis=0), tensor[sorted(around)].mean(axis=0)])


def fit(
    x: np.ndarray, grounds: np.ndarray, y: np.ndarray, l2: float, steps: int = 1500
) -> np.ndarray:
    """Logistic regression of `y` on the pooled vectors `x` (one row per candidate, `grounds`
    its ground's index), with weights shared by all grounds plus each ground's own, so that a
    rare ground borrows from the others. Full-batch gradient descent with Nesterov momentum
    from zeros, on standardised columns; returns (2 * WIDTH + 1, len(GROUNDS)) weights on the
    raw vectors, the last row the bias."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    xs = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    own_rows = np.eye(len(GROUNDS))[grounds]
    shared = np.zeros(xs.shape[1])
    own = np.zeros((xs.shape[1], len(GROUNDS)))
    ahead_shared, ahead_own = shared.copy(), own.copy()
    free = np.ones(xs.shape[1])
    free[-1] = 0.0  # the shared bias is not pulled towards zero
    for step in range(steps):
        z = xs @ ahead_shared + np.einsum("ij,ij->i", xs, ahead_own[:, grounds].T)
        error = (1 / (1 + np.exp(-np.clip(z, -30, 30))) - y) / len(y)
        grad_shared = xs.T @ error + l2 * free * ahead_shared
        grad_own = xs.T @ (own_rows * error[:, None]) + l2 * ahead_own
        last_shared, last_own = shared, own
        shared, own = ahead_shared - 0.5 * grad_shared, ahead_own - 0.5 * grad_own
        momentum = step / (step + 3)
        ahead_shared = shared + momentum * (shared - last_shared)
        ahead_own = own + momentum * (own - last_own)
    standard = shared[:, None] + own
    weights = standard[:-1] / scale[:, None]
    bias = standard[-1] - (mean / scale) @ standard[:-1]
    return np.vstack([weights, bias])


@dataclass(frozen=True)
class PhrasingModel:
    weights: np.ndarray  # (2 * WIDTH + 1, len(GROUNDS)); the last row is the bias

    @classmethod
    def load(cls) -> PhrasingModel | None:
        """The shipped model, or None when none was trained."""
        data = shipped("phrasing.npz")
        if data is None:
            return None
        weights = data["weights"].astype(np.float32)
        if weights.shape != (2 * WIDTH + 1, len(GROUNDS)):
            raise ValueError("nlp/model/phrasing.npz does not match the tok2vec's width: retrain")
        return cls(weights)

    def probabilities(self, doc: Doc, candidates: Sequence[Candidate]) -> list[float]:
        """For each candidate, how likely its clue is said as a reason, by its phrasing alone."""
        found = []
        for cand in candidates:
            column = self.weights[:, GROUNDS.index(cand.code)]
            z = float(pooled(doc, cand) @ column[:-1] + column[-1])
            found.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return found
