"""Build the redaction evaluation set from its hand-labelled source.

Reads ``source.txt`` next to this script: one testimony per line, blank lines and lines starting
with ``#`` ignored, each personal-data item marked inline as ``[[LABEL:text]]``. Removes the
markup, records the exact character offsets of each item in the plain text, shuffles the texts
with ``random.Random(13)`` and writes 40 % of them to ``dev.jsonl`` and the rest to
``test.jsonl``, one JSON object per line::

    {"text": "...", "pii": [{"start": 12, "end": 18, "label": "NOM"}]}

Malformed markup (unclosed or nested brackets, empty items, items with surrounding spaces) and
unknown labels stop the build with the line number.

Usage: ``python nlp/data/redaction/build.py``
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source.txt"
DEV = HERE / "dev.jsonl"
TEST = HERE / "test.jsonl"
# Written independently, later, and used only for tuning: kept whole, out of the split.
EXTRAS = {
    HERE / "extra_source.txt": HERE / "extra.jsonl",
    HERE / "extra2_source.txt": HERE / "extra2.jsonl",
}

LABELS = frozenset(
    {"NOM", "LIEU", "ADRESSE", "TELEPHONE", "EMAIL", "IBAN", "NUMERO", "DATE_NAISSANCE"}
)
SEED = 13
DEV_SHARE = 0.4

ITEM = re.compile(r"\[\[([A-Za-z_]+):([^\[\]]+)\]\]")


class MarkupError(ValueError):
    """Raised when a line of the source cannot be parsed."""


def parse_line(line: str, lineno: int) -> dict:
    """Turn one marked-up line into ``{"text": ..., "pii": [...]}``."""
    parts: list[str] = []
    pii: list[dict] = []
    length = 0
    pos = 0
    for match in ITEM.finditer(line):
        before = line[pos : match.start()]
        _check_plain(before, lineno)
        parts.append(before)
        length += len(before)
        label, value = match.group(1), match.group(2)
        if label not in LABELS:
            raise MarkupError(f"line {lineno}: unknown label {label!r}")
        if value != value.strip():
            raise MarkupError(f"line {lineno}: spaces around item {value!r}")
        pii.append({"start": length, "end": length + len(value), "label": label})
        parts.append(value)
        length += len(value)
        pos = match.end()
    rest = line[pos:]
    _check_plain(rest, lineno)
    parts.append(rest)
    text = "".join(parts)
    if not text.strip():
        raise MarkupError(f"line {lineno}: empty text")
    return {"text": text, "pii": pii}


def _check_plain(chunk: str, lineno: int) -> None:
    """Text outside items must not contain any bracket markup."""
    for token in ("[[", "]]"):
        if token in chunk:
            raise MarkupError(f"line {lineno}: malformed markup near {chunk.strip()[:60]!r}")


def read_source(path: Path) -> list[dict]:
    records = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            records.append(parse_line(line, lineno))
        except MarkupError as err:
            raise MarkupError(f"{path.name}: {err}") from None
    return records


def split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    shuffled = list(records)
    random.Random(SEED).shuffle(shuffled)
    n_dev = round(len(shuffled) * DEV_SHARE)
    return shuffled[:n_dev], shuffled[n_dev:]


def write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> int:
    try:
        records = read_source(SOURCE)
        extras = {target: read_source(source) for source, target in EXTRAS.items()}
    except MarkupError as err:
        print(f"{err}", file=sys.stderr)
        return 1
    dev, test = split(records)
    write_jsonl(DEV, dev)
    write_jsonl(TEST, test)
    print(f"{len(records)} texts: {len(dev)} in {DEV.name}, {len(test)} in {TEST.name}")
    for target, extra in extras.items():
        write_jsonl(target, extra)
        print(f"{len(extra)} texts by another writer, for tuning only: {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
