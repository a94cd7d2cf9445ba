"""NLP benchmark: testimonies per second and latency (p50, p99) at 50, 150 and 500 words, one at a
time and batched; model load time and peak memory. The same texts also go through the bare spaCy
pipeline (same components, without our rules and redaction) to show what Vécus adds.

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


def timed_pair(first, second, items):  # type: ignore[no-untyped-def]
    """Latencies of two functions on the same texts (or batches), interleaved so that neither
    profits from running second (warm caches, CPU frequency) nor suffers alone from a moment
    when the machine is busy."""
    a, b = [], []
    for n, item in enumerate(items):
        order = ((first, a), (second, b)) if n % 2 else ((second, b), (first, a))
        for fn, out in order:
            start = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - start)
    return a, b


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
    header = f"{'words':>5} {'mode':<8} {'pipeline':<7} {'texts/s':>8} {'p50 ms':>7} {'p99 ms':>7}"
    print(header + f" {'overhead':>9}")
    for words in (50, 150, 500):
        items = texts_of(words, args.texts)
        # Every text once through both, untimed: spaCy's lemmatizer caches each word it meets,
        # and ours has already met the lexicon's words (the rules are built through it), so a
        # short warm-up made bare spaCy look slower than it is (two bare pipelines differed by
        # +50 %, and our single-text overhead read +0 %).
        for warm in items:
            analyser.analyse(warm)
            bare_nlp(warm)
        bare_lat, ours_lat = timed_pair(bare_nlp, analyser.analyse, items)
        for name, lat in (("spaCy", bare_lat), ("Vécus", ours_lat)):
            extra = ""
            if name == "Vécus":
                extra = f"{overhead(bare_lat, ours_lat):>+8.1f}%"
            print(
                f"{words:>5} {'single':<8} {name:<7} {len(lat) / sum(lat):>8.1f}"
                f" {pct(lat, 50):>7.1f} {pct(lat, 99):>7.1f} {extra:>9}"
            )
        # Three passes over the batches: seven batches alone gave medians from +11 % to +33 %.
        batches = [items[i : i + 32] for i in range(0, len(items) - 31, 32)] * 3  # full ones
        bare_times, ours_times = timed_pair(
            lambda batch: list(bare_nlp.pipe(batch, batch_size=32)),
            lambda batch: analyser.analyse_batch(batch, batch_size=32),
            batches,
        )
        for name, total in (("spaCy", sum(bare_times)), ("Vécus", sum(ours_times))):
            extra = f"{overhead(bare_times, ours_times):>+8.1f}%" if name == "Vécus" else ""
            print(f"{words:>5} {'batch32':<8} {name:<7} {32 * len(batches) / total:>8.1f}"
                  f" {'':>7} {'':>7} {extra:>9}")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB (both pipelines loaded in this process)")


if __name__ == "__main__":
    main()
