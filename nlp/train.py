"""`python -m nlp.train`: fit the gate's weights on the team's corpus and write
`nlp/model/gate.json`. Deterministic (full-batch gradient descent from zeros): the same corpus
gives the same file. Trains on train.jsonl and the extra sets; dev, check and test are never read,
so that `python -m nlp.evaluate` on them measures the rules and the gate on unseen stories.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from nlp.analysis import MAX_CHARS
from nlp.codes import GROUNDS
from nlp.gate import NAMES, Context, features
from nlp.pipeline import load
from nlp.rules import GroundRules
from nlp.text import clean

CORPUS = Path(__file__).parent / "data" / "corpus"
TRAIN = (
    "train.jsonl",
    "extra.jsonl",
    "extra2.jsonl",
    "extra3.jsonl",
    "extra4.jsonl",
    "extra5.jsonl",
)
OUTPUT = Path(__file__).parent / "model" / "gate.json"


def examples(files: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    nlp = load()  # not the Analyser: it would load the weights this command replaces
    rules, context = GroundRules(nlp), Context.load()
    rows, labels = [], []
    for path in files:
        data = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        docs = nlp.pipe(clean(r["text"])[:MAX_CHARS] for r in data)
        for item, doc in zip(data, docs, strict=True):
            candidates = rules.candidates(doc)
            rows.extend(features(rules, context, doc, candidates))
            labels.extend(float(c.code in item["grounds"]) for c in candidates)
    return np.array(rows), np.array(labels)


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--l2", type=float, default=0.0005)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    x, y = examples([CORPUS / name for name in TRAIN])
    w = fit(x, y, args.l2)
    p = 1 / (1 + np.exp(-(x @ w)))
    accuracy = float(((p >= 0.5) == (y == 1)).mean())
    print(
        f"{len(y)} candidates from {', '.join(TRAIN)}: {int(y.sum())} right; "
        f"training accuracy {accuracy:.3f}"
    )
    payload = {
        "features": list(NAMES),
        "weights": [round(float(v), 5) for v in w],
        "trained_on": list(TRAIN),
        "l2": args.l2,
    }
    args.output.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"written: {args.output}")


if __name__ == "__main__":
    main()
