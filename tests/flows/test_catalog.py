"""Both catalogues say the same things, with the same placeholders, and every key the flows use
exists."""

from __future__ import annotations

import re
from pathlib import Path

from flows.i18n import catalog

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
FLOWS = Path(__file__).resolve().parents[2] / "flows"


def test_french_and_english_have_the_same_keys_and_placeholders() -> None:
    fr, en = catalog("fr"), catalog("en")
    assert fr.keys() == en.keys()
    for key in fr:
        assert set(PLACEHOLDER.findall(fr[key])) == set(PLACEHOLDER.findall(en[key])), key


def test_every_literal_key_used_by_the_flows_exists() -> None:
    used = set()
    for source in FLOWS.glob("*.py"):
        used |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', source.read_text()))
    used -= {"flows.catalog"}
    assert used - catalog("fr").keys() == set()


def test_vocabulary_labels_exist_in_both_languages() -> None:
    from flows import vocabulary as v

    for lang in ("fr", "en"):
        texts = catalog(lang)
        for prefix, codes in (
            ("step", v.STEPS), ("ground", (*v.GROUNDS, v.UNSURE)), ("sector", v.SECTORS),
            ("actor", v.ACTORS), ("evidence", v.EVIDENCE), ("household", v.HOUSEHOLDS),
            ("qpv", v.QPV), ("reported", v.REPORTED), ("relation", v.RELATIONS),
        ):  # fmt: skip
            for code in codes:
                assert f"{prefix}.{code}" in texts, (lang, prefix, code)
                if prefix != "ground" or lang == "fr":
                    assert len(texts[f"{prefix}.{code}"]) <= 40, (lang, prefix, code)
