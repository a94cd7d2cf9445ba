"""Split testimonies.jsonl once into train (60 %), dev (20 %) and test (20 %).

Run once, then commit the three files; the test split is never read while tuning the rules.
Stratified on the rarest ground of each testimony so every ground reaches every split.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    rows = [json.loads(line) for line in (HERE / "testimonies.jsonl").open(encoding="utf-8")]
    freq = Counter(g for r in rows for g in r["grounds"])
    strata: dict[str, list[dict]] = {}
    for row in rows:
        key = min(row["grounds"], key=lambda g: freq[g]) if row["grounds"] else "_none"
        strata.setdefault(key, []).append(row)
    rng = random.Random(2026)
    splits: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    for key in sorted(strata):
        group = strata[key]
        rng.shuffle(group)
        n_test = round(len(group) * 0.2)
        n_dev = round(len(group) * 0.2)
        splits["test"] += group[:n_test]
        splits["dev"] += group[n_test : n_test + n_dev]
        splits["train"] += group[n_test + n_dev :]
    for name, part in splits.items():
        rng.shuffle(part)
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for row in part:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(name, len(part))


if __name__ == "__main__":
    main()
