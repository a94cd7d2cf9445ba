"""Towns from a list, for the redactor: spaCy's NER misses many French towns, and every town
written in lowercase ("a aubervilliers", "sur st denis").

A listed town is a place when it is capitalised, or when it comes right after a word that
introduces a place ("à", "sur", "de", "vers", "habite"…). A town whose name is an everyday word
(Orange, Plaisir, Menton) needs both. The lists: `nlp/data/names/towns.txt` and
`ambiguous_towns.txt` (GeoNames, CC BY 4.0; see `build_towns.py`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.pipeline import fold_tokens
from nlp.text import fold

# Folded words after which a lowercase town name is read as a place.
BEFORE_PLACE = frozenset((
    "a", "au", "sur", "de", "d'", "vers", "pres", "habite", "habitais", "vis", "vit", "vivons",
    "mairie", "ville", "agence", "quartier", "commune", "depuis", "pour", "dans",
))  # fmt: skip


def _variants(name: str) -> set[str]:
    """ "saint-denis" is also typed "saint denis", "st denis", "st-denis"."""
    names = {name, name.replace("-", " ")}
    for long, short in (("saint", "st"), ("sainte", "ste")):
        names |= {
            n.replace(f"{long}-", f"{short}-").replace(f"{long} ", f"{short} ") for n in names
        }
        names |= {n.replace(f"{short}-", f"{short} ") for n in names}
    return names


@cache
def _lists() -> tuple[tuple[str, ...], tuple[str, ...]]:
    def read(name: str) -> tuple[str, ...]:
        text = resources.files("nlp.data.names").joinpath(name).read_text(encoding="utf-8")
        return tuple(line for line in text.splitlines() if line)

    return read("towns.txt"), read("ambiguous_towns.txt")


class Towns:
    """Built once per pipeline (about 0.1 s); a matcher over folded words."""

    def __init__(self, nlp: Language, allowed: frozenset[str] = frozenset()) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        towns, ambiguous = _lists()
        for key, names in (("TOWN", towns), ("AMBIGUOUS", ambiguous)):
            variants = sorted({v for n in names for v in _variants(n) if fold(v) not in allowed})
            self.matcher.add(key, [fold_tokens(nlp.make_doc(v)) for v in variants])

    def spans(self, doc: Doc) -> list[tuple[int, int]]:
        """Character spans of the towns named in the text."""
        found = []
        for key, start, end in self.matcher(doc):
            capitalised = doc[start].text[:1].isupper()
            introduced = start > 0 and doc[start - 1].norm_ in BEFORE_PLACE
            participle = doc[start].text.lower().endswith(("é", "ée", "és", "ées"))
            if not capitalised and participle and start > 0 and doc[start - 1].norm_ == "a":
                continue  # "il a changé" is not "à Changé"
            everyday = doc.vocab.strings[key] == "AMBIGUOUS"
            if (capitalised and introduced) or (not everyday and (capitalised or introduced)):
                found.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
        return found
