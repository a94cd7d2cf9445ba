"""`python -m nlp.train`: fit the word model, the phrasing model and the gate on the team's
corpus and write `nlp/model/words.npz`, `phrasing.npz` and `gate.json`. Deterministic (full-batch
gradient descent from zeros): the same corpus gives the same files. Trains on train.jsonl and the
extra sets; dev, check and test are never read, so that `python -m nlp.evaluate` on them
measures unseen stories.

The gate learns how far to trust the two models from their answers on stories they did not see:
each fifth of the corpus is scored by models fitted on the other four fifths.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from nlp import phrasing, words
from nlp.analysis import MAX_CHARS
from nlp.codes import GROUNDS
from nlp.gate import NAMES, THRESHOLD, Context, Gate, alone, features
from nlp.pipeline import load
from nlp.rules import Candidate, GroundRules
from nlp.text import clean

CORPUS = Path(__file__).parent / "data" / "corpus"
TRAIN = (
    "train.jsonl",
    "extra.jsonl",
    "extra2.jsonl",
    "extra3.jsonl",
    "extra4.jsonl",
    "extra5.jsonl",
    "extra6.jsonl",
    "extra7.jsonl",
)
MODEL = Path(__file__).parent / "model"
FOLDS = 5
MIN_STORIES = 2  # a term seen in a single story teaches nothing general


@dataclass
class Story:
    doc: Doc
    grounds: set[str]
    candidates: list[Candidate]
    terms: list[str]
    source: str  # the file it comes from


def stories(files: list[Path]) -> list[Story]:
    nlp = load()  # not the Analyser: it would load the weights this command replaces
    rules = GroundRules(nlp)
    found = []
    for path in files:
        data = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        docs = nlp.pipe(clean(r["text"])[:MAX_CHARS] for r in data)
        for item, doc in zip(data, docs, strict=True):
            found.append(
                Story(
                    doc,
                    set(item["grounds"]),
                    rules.candidates(doc),
                    list(words.terms(doc)),
                    path.name,
                )
            )
    return found


def word_model(told: list[Story], l2: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The word model's terms and weights on `told`, and its probabilities for each story of
    `told` from a model that never saw that story (nor counted its terms)."""
    y = np.array([[code in s.grounds for code in GROUNDS] for s in told], dtype=float)
    unseen = np.zeros(y.shape)
    fold = np.arange(len(told)) % FOLDS
    for k in range(FOLDS):
        inside, outside = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        known = words.vocabulary([told[i].terms for i in inside], MIN_STORIES)
        w = words.fit(
            [words.indexed(told[i].terms, known) for i in inside], y[inside], len(known), l2
        )
        for i in outside:
            unseen[i] = 1 / (
                1 + np.exp(-(w[words.indexed(told[i].terms, known)].sum(axis=0) + w[-1]))
            )
    known = words.vocabulary([s.terms for s in told], MIN_STORIES)
    w = words.fit([words.indexed(s.terms, known) for s in told], y, len(known), l2)
    return list(known), w, unseen


def phrasing_model(told: list[Story], l2: float) -> tuple[np.ndarray, list[list[float]]]:
    """The phrasing model's weights on `told`, and its probabilities for each candidate of each
    story from a model that never saw that story."""
    x = np.array([phrasing.pooled(s.doc, c) for s in told for c in s.candidates])
    grounds = np.array([GROUNDS.index(c.code) for s in told for c in s.candidates])
    y = np.array([float(c.code in s.grounds) for s in told for c in s.candidates])
    story = np.repeat(np.arange(len(told)), [len(s.candidates) for s in told])
    fold = story % FOLDS
    unseen = np.zeros(len(y))
    for k in range(FOLDS):
        inside, outside = fold != k, fold == k
        w = phrasing.fit(x[inside], grounds[inside], y[inside], l2)
        z = np.einsum("ij,ij->i", x[outside], w[:-1, grounds[outside]].T) + w[-1, grounds[outside]]
        unseen[outside] = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
    by_story: list[list[float]] = [[] for _ in told]
    for i, p in zip(story, unseen, strict=True):
        by_story[i].append(float(p))
    return phrasing.fit(x, grounds, y, l2), by_story


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 4000) -> np.ndarray:
    """Logistic regression; the per-ground indicators are pulled harder towards zero, so that
    a ground with few examples leans on the shared features."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    penalty[len(NAMES) - len(GROUNDS) :] = l2 * 4
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + penalty * w
        w -= 0.5 * grad
    return w


def report(
    told: list[Story],
    unseen: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    owner: np.ndarray,
    gate: Gate,
    l2: float,
) -> None:
    """Each training file's micro-F1 when the gate too is fitted on the other folds: a measure
    on the whole training corpus that never touches dev, check or test."""
    p = np.zeros(len(y))
    for k in range(FOLDS):
        inside = owner % FOLDS != k
        p[~inside] = 1 / (1 + np.exp(-(x[~inside] @ fit(x[inside], y[inside], l2))))
    counts = {name: np.zeros(3, dtype=int) for name in TRAIN}  # right, wrong, missed
    row = 0
    for i, story in enumerate(told):
        chosen = set()
        for cand in story.candidates:
            if gate.floored(story.doc, cand, float(p[row])) >= THRESHOLD:
                chosen.add(cand.code)
            row += 1
        chosen.update(alone(dict(zip(GROUNDS, unseen[i], strict=True)), story.candidates))
        counts[story.source] += (
            len(chosen & story.grounds),
            len(chosen - story.grounds),
            len(story.grounds - chosen),
        )
    for name, (right, wrong, missed) in [*counts.items(), ("all", sum(counts.values()))]:
        f1 = 2 * right / max(1, 2 * right + wrong + missed)
        print(
            f"out-of-fold {name:13} micro-F1 {f1:.4f}  right {right} wrong {wrong} missed {missed}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--l2", type=float, default=0.0005, help="the gate's penalty")
    parser.add_argument("--words-l2", type=float, default=0.001, help="the word model's")
    parser.add_argument("--phrasing-l2", type=float, default=0.03, help="the phrasing model's")
    parser.add_argument("--output", type=Path, default=MODEL)
    parser.add_argument(
        "--report",
        action="store_true",
        help="also print each file's micro-F1 from models (gate included) that never saw it",
    )
    args = parser.parse_args(argv)
    told = stories([CORPUS / name for name in TRAIN])
    names, weights, unseen = word_model(told, args.words_l2)
    phrased, phrased_unseen = phrasing_model(told, args.phrasing_l2)
    rules, context = GroundRules(load()), Context.load()
    rows, labels, owner = [], [], []
    for i, (story, said, phrasing_said) in enumerate(
        zip(told, unseen, phrased_unseen, strict=True)
    ):
        said_by_code = dict(zip(GROUNDS, said, strict=True))
        rows.extend(
            features(rules, context, story.doc, story.candidates, said_by_code, phrasing_said)
        )
        labels.extend(float(c.code in story.grounds) for c in story.candidates)
        owner.extend([i] * len(story.candidates))
    x, y = np.array(rows), np.array(labels)
    w = fit(x, y, args.l2)
    if args.report:
        report(told, unseen, x, y, np.array(owner, dtype=int), Gate(rules, None), args.l2)
    p = 1 / (1 + np.exp(-(x @ w)))
    accuracy = float(((p >= 0.5) == (y == 1)).mean())
    print(
        f"{len(told)} stories, {len(names)} terms, {len(y)} candidates from {', '.join(TRAIN)}:"
        f" {int(y.sum())} right; gate's training accuracy {accuracy:.3f}"
    )
    args.output.mkdir(parents=True, exist_ok=True)
    with (args.output / "words.npz").open("wb") as f:
        np.savez_compressed(
            f,
            grounds=np.array(GROUNDS),
            terms=np.array(names),
            weights=weights.astype(np.float16),
        )
    with (args.output / "phrasing.npz").open("wb") as f:
        np.savez_compressed(f, grounds=np.array(GROUNDS), weights=phrased.astype(np.float32))
    payload = {
        "features": list(NAMES),
        "weights": [round(float(v), 5) for v in w],
        "trained_on": list(TRAIN),
        "l2": args.l2,
        "words_l2": args.words_l2,
        "phrasing_l2": args.phrasing_l2,
    }
    (args.output / "gate.json").write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"written: words.npz, phrasing.npz and gate.json in {args.output}")


if __name__ == "__main__":
    main()
