"""`python -m nlp.evaluate_redaction FILE.jsonl`: how well personal data is removed.

Each line: {"text": ..., "pii": [{"start": s, "end": e, "label": "NOM"}]}. Prints, per label,
the share of items fully removed (recall: every character under some placeholder) and, overall,
the share of placeholders that covered personal data (precision: overlapping a labelled item).
`--errors` shows what was missed and what was removed for nothing (dev only, never test).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from nlp.analysis import analyse_batch


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.file.open(encoding="utf-8") if line.strip()]
    analyses = analyse_batch([r["text"] for r in rows])
    total, removed = Counter(), Counter()
    placeholders = useful = 0
    by_label_pred = Counter()
    useful_by_label = Counter()
    for row, analysis in zip(rows, analyses, strict=True):
        gold = row["pii"]
        covered = [False] * len(row["text"])
        for span in analysis.pii:
            for i in range(span.start, span.end):
                covered[i] = True
        for item in gold:
            total[item["label"]] += 1
            chars = [i for i in range(item["start"], item["end"]) if not row["text"][i].isspace()]
            if all(covered[i] for i in chars):
                removed[item["label"]] += 1
            elif args.errors:
                print(f"missed {item['label']:<15} {row['text'][item['start'] : item['end']]!r}")
        for span in analysis.pii:
            placeholders += 1
            by_label_pred[span.label] += 1
            if any(span.start < g["end"] and g["start"] < span.end for g in gold):
                useful += 1
                useful_by_label[span.label] += 1
            elif args.errors:
                shown = row["text"][span.start : span.end]
                print(f"extra  {span.label:<15} {shown!r}  <- {row['text'][:80]!r}")
    header = f"{'label':<16} {'items':>6} {'removed':>8} {'recall':>7}"
    print(f"{header} {'placeholders':>13} {'precision':>10}")
    for label in sorted(total):
        pred = by_label_pred[label]
        precision = useful_by_label[label] / pred if pred else 0.0
        print(
            f"{label:<16} {total[label]:>6} {removed[label]:>8}"
            f" {removed[label] / total[label]:>7.3f} {pred:>13} {precision:>10.3f}"
        )
    recall = sum(removed.values()) / sum(total.values()) if total else 1.0
    precision = useful / placeholders if placeholders else 1.0
    print(f"recall {recall:.3f} precision {precision:.3f} items={sum(total.values())}")


if __name__ == "__main__":
    main()
