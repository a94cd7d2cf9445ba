"""Personal data is replaced by labelled placeholders; what is not personal stays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import Analyser

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data" / "redaction"


@pytest.mark.parametrize(
    ("text", "gone", "placeholder"),
    [
        ("appelez-moi au 06 12 34 56 78 svp", "06 12 34 56 78", "[TÉLÉPHONE]"),
        ("mon num 0612345678", "0612345678", "[TÉLÉPHONE]"),
        ("Tél : +33 6 12 34 56 78.", "+33 6 12 34 56 78", "[TÉLÉPHONE]"),
        ("whatsapp +221 77 123 45 67", "+221 77 123 45 67", "[TÉLÉPHONE]"),
        ("écrivez à Fatou.Diallo+logement@mail.example.fr", "Fatou.Diallo", "[E-MAIL]"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 refusé", "FR76 3000", "[IBAN]"),
        ("mon numéro unique 075 22 08 00123 45 a disparu", "075 22 08 00123 45", "[NUMÉRO]"),
        ("née le 12/03/1985 à Lyon", "12/03/1985", "[DATE DE NAISSANCE]"),
        ("j'habite 12 rue Victor Hugo, 69100 Villeurbanne", "Victor Hugo", "[ADRESSE]"),
        ("je m'appelle fatou diallo et je cherche", "fatou diallo", "[NOM]"),
        ("la gérante Mme Vercoutre m'a dit non", "Vercoutre", "[NOM]"),
        ("le gardien mr benali a tout vu", "benali", "[NOM]"),
    ],
)
def test_personal_data_is_replaced(
    analyser: Analyser, text: str, gone: str, placeholder: str
) -> None:
    redacted = analyser.analyse(text).redacted
    assert gone not in redacted and placeholder in redacted


def test_what_is_not_personal_stays(analyser: Analyser) -> None:
    text = "Bonjour, loyer de 650 € pour un T3 de 45 m2, appelé le 39 28 en 2024, la CAF a dit non."
    assert analyser.analyse(text).redacted == text


def test_a_texting_letter_after_a_name_stays(analyser: Analyser) -> None:
    assert analyser.analyse("Mme Martin l a refusé").redacted == "Mme [NOM] l a refusé"


def test_a_town_ends_at_a_whole_word(analyser: Analyser) -> None:
    text = "On habite 12 chemin de la Ferme, 91200 Athis-Mons depuis 2018."
    assert analyser.analyse(text).redacted == "On habite [ADRESSE] depuis 2018."


def test_a_name_spelled_letter_by_letter_is_a_name(analyser: Analyser) -> None:
    kept = "un T-3 au rez-de-chaussée, c-a-d sans escalier"
    for text, redacted in (
        ("mon nom c'est M-B-A-Y-E, je l'ai épelé", "mon nom c'est [NOM], je l'ai épelé"),
        ("M-B-A-Y-E m'a dit non", "[NOM] m'a dit non"),
        (kept, kept),
    ):
        assert analyser.analyse(text).redacted == redacted


def test_countries_stay_so_the_story_keeps_its_meaning(analyser: Analyser) -> None:
    redacted = analyser.analyse("Je viens du Mali et l'agence de Bondy a dit non.").redacted
    assert "Mali" in redacted


def _recall(analyser: Analyser, rows: list[dict], label: str) -> float:
    analyses = analyser.analyse_batch(r["text"] for r in rows)
    total = removed = 0
    for row, analysis in zip(rows, analyses, strict=True):
        for item in row["pii"]:
            if item["label"] != label:
                continue
            total += 1
            covered = all(
                any(s.start <= i < s.end for s in analysis.pii)
                for i in range(item["start"], item["end"])
                if not row["text"][i].isspace()
            )
            removed += covered
    return removed / total


@pytest.mark.parametrize(
    ("label", "floor"),
    [("TELEPHONE", 0.95), ("EMAIL", 0.95), ("IBAN", 0.95), ("NUMERO", 0.95), ("NOM", 0.85)],
)
def test_recall_on_the_dev_set_does_not_regress(
    analyser: Analyser, label: str, floor: float
) -> None:
    rows = [json.loads(line) for line in (DATA / "dev.jsonl").open(encoding="utf-8")]
    assert _recall(analyser, rows, label) >= floor


@pytest.mark.parametrize(
    "text",
    [
        "Visite le 12/03/2024 à 14h, bail 2022-2023, T3 de 45 m2 au 2e étage.",
        "On attend depuis 2019, loyer 612,50 €, 3 pièces.",
    ],
)
def test_dates_of_events_amounts_and_floors_stay(analyser: Analyser, text: str) -> None:
    assert analyser.analyse(text).redacted == text


@pytest.mark.parametrize(
    "code", ["V123456789", "18AB12345", "1234567A", "2023/INS/04471", "DALO-75-2022-11873"]
)
def test_identifiers_mixing_letters_and_digits_are_removed(analyser: Analyser, code: str) -> None:
    redacted = analyser.analyse(f"Mon dossier {code} a été perdu.").redacted
    assert code not in redacted and "[NUMÉRO]" in redacted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jhabite a aubervilliers depuis 2010", "jhabite a [LIEU] depuis 2010"),
        ("on vit sur st denis avec les enfants", "on vit sur [LIEU] avec les enfants"),
        ("la mairie de gennevilliers a refusé", "la mairie de [LIEU] a refusé"),
        ("L'agence de Tourcoing m'a rappelé.", "L'agence de [LIEU] m'a rappelé."),
        ("Il a changé le loyer sans prévenir.", "Il a changé le loyer sans prévenir."),
        ("Une orange pressée, et plaisir de lire.", "Une orange pressée, et plaisir de lire."),
        ("On a déménagé à Orange en mai.", "On a déménagé à [LIEU] en mai."),
    ],
)
def test_towns_from_the_list_even_in_lowercase(
    analyser: Analyser, text: str, expected: str
) -> None:
    assert analyser.analyse(text).redacted == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mes numéros 06 12 34 56 78 07 98 76 54 32", "Mes numéros [TÉLÉPHONE]"),
        ("mon num 059 18 00 45 12 87 voila", "mon num [NUMÉRO] voila"),
        (
            "Mon numéro de locataire : LOC 004587, et mon visa V 234 567 891.",
            "Mon numéro de locataire : [NUMÉRO], et mon visa [NUMÉRO].",
        ),
        ("Vu l'article L441-2-3 du code.", "Vu l'article L441-2-3 du code."),
        ("75001 paris et je suis refusé depuis mai", "[ADRESSE] et je suis refusé depuis mai"),
        ("avis d impot : 23 75A1234567 12, trop haut", "avis d impot : [NUMÉRO], trop haut"),
        (
            "la lettre recommandee 1A 123 456 7890 1 jamais recue",
            "la lettre recommandee [NUMÉRO] jamais recue",
        ),
        ("On est 4 dans un T3 de 65 m2 depuis 2019.", "On est 4 dans un T3 de 65 m2 depuis 2019."),
    ],
)
def test_numbers_next_to_numbers_and_numbers_that_are_not_personal(
    analyser: Analyser, text: str, expected: str
) -> None:
    assert analyser.analyse(text).redacted == expected


def test_long_digit_runs_do_not_stall_the_patterns(analyser: Analyser) -> None:
    """A pattern with nested optional separators once took seconds per 100 digits, and
    five times longer for every 20 more: a pasted number must not stall the bot."""
    text = "Mon dossier REF " + "4" * 400 + "é"
    assert "[NUMÉRO]" in analyser.analyse(text).redacted
