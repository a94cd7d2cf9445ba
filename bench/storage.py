"""Storage benchmark: testimonies stored per second (encryption and sealing included) and bytes
per testimony on disk.

Run: .venv/bin/python bench/storage.py [--count 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as a script: this file must not shadow the `storage` package
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from storage import GroundChoice, IncidentIn, JourneyIn, Store, init_keys
from storage.vault import new_code

STORY = (
    "J'ai appelé l'agence pour le T3 de la rue des Lilas. Au téléphone tout allait bien, puis "
    "quand j'ai donné mon nom la dame a dit que c'était déjà loué. Mon collègue a rappelé une "
    "heure après avec un nom français et on lui a proposé une visite le lendemain. "
) * 2  # ~100 words


def testimony(n: int) -> JourneyIn:
    return JourneyIn(
        sector="prive",
        lang="fr",
        relation="moi",
        excerpt_consent=True,
        incidents=(
            IncidentIn(
                step="contact",
                narrative=f"{STORY} ({n})",
                happened="2026-10",
                actor="agence",
                evidence="implicite",
                excerpt=STORY[:300],
                grounds=(
                    GroundChoice("origine", True, True),
                    GroundChoice("patronyme", True, True),
                ),
            ),
        ),
    )


def db_bytes(data: Path) -> int:
    return sum(p.stat().st_size for p in data.glob("vecus.db*"))


async def run(count: int, concurrency: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        keys = init_keys(data, Path(tmp) / "private.pem")
        store = await Store.open(data, keys=keys)
        await store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = db_bytes(data)
        items = [(testimony(n), new_code()) for n in range(count)]
        start = time.perf_counter()
        if concurrency == 1:
            for j, code in items:
                await store.journeys.save(j, code)
        else:
            sem = asyncio.Semaphore(concurrency)

            async def one(j: JourneyIn, code: str) -> None:
                async with sem:
                    await store.journeys.save(j, code)

            await asyncio.gather(*(one(j, c) for j, c in items))
        elapsed = time.perf_counter() - start
        await store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db_bytes(data) - before
        await store.close()
    return {"rows_s": count / elapsed, "ms": 1000 * elapsed / count, "bytes": size / count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"testimony: 1 incident, ~{len(STORY.split())}-word narrative sealed, excerpt encrypted")
    print(
        f"{'writers':>8} {'testimonies':>12} {'per second':>11} {'ms each':>8} {'bytes each':>11}"
    )
    for concurrency in (1, 50):
        r = asyncio.run(run(args.count, concurrency))
        row = f"{concurrency:>8} {args.count:>12} {r['rows_s']:>11.0f} {r['ms']:>8.2f}"
        print(f"{row} {r['bytes']:>11.0f}")


if __name__ == "__main__":
    main()
