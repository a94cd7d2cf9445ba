"""NLP benchmark: testimonies per second and latency (p50, p99) at 50, 150 and 500 words, one at a
time and batched; model load time and peak memory. The same texts also go through the bare spaCy
pipeline (same components, without our rules and redaction, its NER on every word) and through
our own spaCy stage alone, to show what Vécus adds.

Run: .venv/bin/python bench/nlp.py [--texts 200]   (pinned to one core, one BLAS thread)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
if not __package__:  # run as a script: this file must not shadow the `nlp` package
    sys.path[0] = str(Path(__file__).resolve().parents[1])

CORPUS = Path(__file__).resolve().parents[1] / "nlp" / "data" / "corpus" / "train.jsonl"


def texts_of(words: int, count: int) -> list[str]:
    """Real testimonies of the training split, glued or cut to `words` words."""
    pool = [json.loads(line)["text"].split() for line in CORPUS.open(encoding="utf-8")]
    out, i = [], 0
    while len(out) < count:
        chunk: list[str] = []
        while len(chunk) < words:
            chunk += pool[i % len(pool)]
            i += 1
        out.append(" ".join(chunk[:words]))
    return out


def timed(functions, items):  # type: ignore[no-untyped-def]
    """Latencies of each function on the same texts (or batches), interleaved and in turning
    order, so that none profits from running after another (warm caches, CPU frequency) nor
    suffers alone from a moment when the machine is busy."""
    out: list[list[float]] = [[] for _ in functions]
    for n, item in enumerate(items):
        for j in range(len(functions)):
            k = (j + n) % len(functions)
            start = time.perf_counter()
            functions[k](item)
            out[k].append(time.perf_counter() - start)
    return out


def overhead(bare: list[float], ours: list[float]) -> float:
    """Our extra time in %, as the median of the per-text (or per-batch) ratios: on a shared
    machine, a slow moment that hits a few texts does not move it, where a ratio of sums moved
    from +3 % to +20 % between two runs of the same code."""
    return 100 * (statistics.median(o / b for b, o in zip(bare, ours, strict=True)) - 1)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=200)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    start = time.perf_counter()
    from nlp.pipeline import bare

    bare_nlp = bare()
    bare_load = time.perf_counter() - start
    start = time.perf_counter()
    from nlp import Analyser

    analyser = Analyser()
    ours_load = time.perf_counter() - start  # the pipeline again, plus rules and name lists

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (1 used), Python "
          f"{platform.python_version()}, {platform.processor() or 'cpu'}")  # fmt: skip
    print(f"load: bare spaCy {bare_load:.1f} s; Vécus analyser {ours_load:.1f} s")
    print(
        f"{'words':>5} {'mode':<8} {'pipeline':<10} {'texts/s':>8} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'vs spaCy':>9} {'rules':>7}"
    )
    # "NER near": our spaCy stage alone (the NER only near possible names, `nlp.entities`);
    # "rules" is what the rules, the gate and the redaction add to it.
    names = ("spaCy", "NER near", "Vécus")
    for words in (50, 150, 500):
        items = texts_of(words, args.texts)
        # Every text once through each, untimed: spaCy's lemmatizer caches each word it meets,
        # and ours has already met the lexicon's words (the rules are built through it), so a
        # short warm-up made bare spaCy look slower than it is (two bare pipelines differed by
        # +50 %, and our single-text overhead read +0 %).
        for warm in items:
            analyser.analyse(warm)
            bare_nlp(warm)
        single = timed((bare_nlp, analyser.nlp, analyser.analyse), items)
        # Three passes over the batches: seven batches alone gave medians from +11 % to +33 %.
        batches = [items[i : i + 32] for i in range(0, len(items) - 31, 32)] * 3  # full ones
        batched = timed(
            (
                lambda batch: list(bare_nlp.pipe(batch, batch_size=32)),
                lambda batch: list(analyser.nlp.pipe(batch, batch_size=32)),
                lambda batch: analyser.analyse_batch(batch, batch_size=32),
            ),
            batches,
        )
        for mode, runs, count in (("single", single, 1), ("batch32", batched, 32)):
            for k, (name, lat) in enumerate(zip(names, runs, strict=True)):
                p50 = f"{pct(lat, 50):>7.1f}" if count == 1 else ""
                p99 = f"{pct(lat, 99):>7.1f}" if count == 1 else ""
                vs = f"{overhead(runs[0], lat):>+8.1f}%" if k else ""
                rules = f"{overhead(runs[1], lat):>+6.1f}%" if k == 2 else ""
                print(
                    f"{words:>5} {mode:<8} {name:<10} {count * len(lat) / sum(lat):>8.1f}"
                    f" {p50:>7} {p99:>7} {vs:>9} {rules:>7}"
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB (both pipelines loaded in this process)")


if __name__ == "__main__":
    main()
