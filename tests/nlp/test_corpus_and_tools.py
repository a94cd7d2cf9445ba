"""The labelled corpus holds what the evaluation needs, and the evaluation tools print what the
README quotes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from nlp import GROUNDS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "nlp" / "data" / "corpus"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).open(encoding="utf-8")]


def test_corpus_size_balance_and_split() -> None:
    parts = {name: _rows(f"{name}.jsonl") for name in ("train", "dev", "test")}
    rows = [r for part in parts.values() for r in part]
    assert len(rows) >= 400
    counts = Counter(g for r in rows for g in r["grounds"])
    assert set(counts) == set(GROUNDS) and min(counts.values()) >= 10
    assert sum(not r["grounds"] for r in rows) >= 80
    assert sum(len(r["grounds"]) > 1 for r in rows) >= 50
    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts)  # no testimony in two splits
    for part in parts.values():
        assert {g for r in part for g in r["grounds"]} == set(GROUNDS)


def test_evaluate_prints_the_summary_line(tmp_path: Path) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in _rows("dev.jsonl")[:12]) + "\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "nlp.evaluate", str(sample)],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    last = out.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"micro-F1 \d\.\d{3} macro-F1 \d\.\d{3} n=12", last)


def test_tuning_sets_are_apart_from_test_and_check() -> None:
    from nlp.train import TRAIN

    held = ("test", "check", "check2", "check3")
    assert not {f"{name}.jsonl" for name in (*held, "dev")} & set(TRAIN)
    held_out = {r["text"] for name in held for r in _rows(f"{name}.jsonl")}
    for name in ("train", "dev", *(f"extra{n}" for n in ("", 2, 3, 4, 5, 6, 7))):
        assert not held_out & {r["text"] for r in _rows(f"{name}.jsonl")}, name
    assert [len(_rows(f"{name}.jsonl")) for name in held[1:]] == [200, 300, 300]
    for name in ("extra6", "extra7", *held[1:]):
        assert all(set(r["grounds"]) <= set(GROUNDS) for r in _rows(f"{name}.jsonl")), name
