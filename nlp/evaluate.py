"""`python -m nlp.evaluate FILE.jsonl`: per-ground precision, recall, F1 and support of the
suggested grounds against a labelled corpus ({"text": ..., "grounds": [...]} per line).

The last line is exactly `micro-F1 0.912 macro-F1 0.874 n=120` (macro over grounds with support).
`--errors` lists the misses and false alarms, to tune the lexicon on train or dev, never on test.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from nlp.analysis import analyse_batch
from nlp.codes import GROUNDS


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(gold: list[set[str]], predicted: list[set[str]]) -> dict:
    per = {}
    tp_all = fp_all = fn_all = 0
    for code in GROUNDS:
        tp = sum(code in g and code in p for g, p in zip(gold, predicted, strict=True))
        fp = sum(code not in g and code in p for g, p in zip(gold, predicted, strict=True))
        fn = sum(code in g and code not in p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[code] = {"p": precision, "r": recall, "f1": f1, "support": tp + fn, "fp": fp}
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    micro_p = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
    micro_r = tp_all / (tp_all + fn_all) if tp_all + fn_all else 0.0
    micro = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    supported = [v["f1"] for v in per.values() if v["support"]]
    negatives = [p for g, p in zip(gold, predicted, strict=True) if not g]
    return {
        "per": per,
        "micro": micro,
        "macro": sum(supported) / len(supported) if supported else 0.0,
        "negatives": sum(not p for p in negatives) / len(negatives) if negatives else 1.0,
        "n_negatives": len(negatives),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--errors", action="store_true", help="print misses and false alarms")
    args = parser.parse_args(argv)
    rows = load(args.file)
    analyses = analyse_batch([r["text"] for r in rows])
    gold = [set(r["grounds"]) for r in rows]
    predicted = [set(a.codes()) for a in analyses]
    result = score(gold, predicted)
    print(f"{'ground':<28} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    for code, v in result["per"].items():
        if v["support"] or v["fp"]:
            print(f"{code:<28} {v['p']:>9.3f} {v['r']:>7.3f} {v['f1']:>6.3f} {v['support']:>8}")
    if args.errors:
        for row, g, p, a in zip(rows, gold, predicted, analyses, strict=True):
            if g != p:
                why = {h.code: [t.text for t in h.triggers] for h in a.grounds if h.code in p - g}
                print(
                    f"\nmissed {sorted(g - p)} extra {sorted(p - g)} {why}\n  {row['text'][:300]}"
                )
    print(f"negatives with no suggestion: {result['negatives']:.3f} (n={result['n_negatives']})")
    print(f"micro-F1 {result['micro']:.3f} macro-F1 {result['macro']:.3f} n={len(rows)}")


if __name__ == "__main__":
    main()
