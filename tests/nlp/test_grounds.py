"""Suggested grounds on the formulations the rules must understand, and must not be fooled by."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import GROUNDS, Analyser

CORPUS = Path(__file__).resolve().parents[2] / "nlp" / "data" / "corpus"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il m'a dit : pas d'étrangers.", {"nationalite"}),
        (
            "Quand j'ai donné mon nom, on m'a dit que c'était déjà loué. Vu mon nom...",
            {"patronyme"},
        ),
        ("avec mon accent il a dit que c'etait loue", {"langue"}),
        ("Une famille comme la vôtre, ici ? Non.", {"situation_famille"}),
        ("vous êtes au RSA ? alors non", {"vulnerabilite_economique"}),
        ("annonce avec écrit pas d'APL en gros", {"vulnerabilite_economique"}),
        ("la dame a lâché « on ne loue pas aux gens comme vous », on est noires", {"origine"}),
        ("je porte le voile et la visite a été annulée", {"religion"}),
        ("Je suis enceinte de 6 mois, la proprio a dit que c'était pas possible", {"grossesse"}),
        ("le proprio a dit qu'avec mon fauteuil roulant ça n'irait pas", {"handicap"}),
        ("JE SUIS AU RSA ET ILS VEULENT PAS DE MOI", {"vulnerabilite_economique"}),
        ("on est deux hommes et il a dit que ça allait faire jaser", {"orientation_sexuelle"}),
        # Texting drops the apostrophe: "d assistance" still meets "chien d'assistance".
        ("mon chien d assistance refusé par le proprio, il a dit pas d animaux", {"handicap"}),
        ("MON CHIEN D ASSISTANCE REFUSÉ PAR LE PROPRIO", {"handicap"}),
        ("mon pere parle que arabe, la dame a refuse d enregistrer sa demande", {"langue"}),
        # "jamais rien" bears on "comprenez", not on who they are.
        ("elle a dit « vous les Africains vous comprenez jamais rien », et refusé", {"origine"}),
        # The neighbour told, but the trait is the couple's own ("qu'on était").
        (
            "La voisine a dit au proprio qu'on était « des homos », il veut qu'on parte",
            {"orientation_sexuelle"},
        ),
        ("l'agent m'a demandé si j'étais typé, j'ai raccroché", {"origine"}),
        # "je pense pas que les gens en fauteuil…" accuses; "rien contre X, mais…" too.
        (
            "Je pense pas que les gens en fauteuil soient acceptés ici, il m'a refusé direct.",
            {"handicap"},
        ),
        (
            "L'agent a dit qu'il avait rien contre les homosexuels mais que le proprio voulait "
            "un couple normal.",
            {"orientation_sexuelle"},
        ),
        (
            "Il a tiqué sur mon accent au téléphone et le lendemain il avait changé d'avis.",
            {"langue"},
        ),
        # A slur said to the person is the discrimination itself, however short the story.
        ("il m'a traitée de sale négresse devant tout le monde", {"origine"}),
        # Asking what to do next does not mean nothing happened.
        (
            "Le proprio m'a traitée de sale négresse devant tout le monde, quelqu'un sait "
            "quels sont mes recours ?",
            {"origine"},
        ),
        (
            "l'agent m'écrit le soir « tu es toute seule ? pense à moi et ton dossier avancera »",
            {"sexe"},
        ),
        # "ni" carries on the rule: "pas de musulmans ni d'Africains" names both.
        ("l'agence m'a écrit « pas de musulmans ni d'Africains »", {"origine", "religion"}),
        # A kind start does not cancel what came after.
        (
            "La proprio était adorable au téléphone. À la visite elle a vu mon voile et elle a "
            "dit que finalement c'était plus possible.",
            {"religion"},
        ),
    ],
)
def test_clues_are_found(analyser: Analyser, text: str, expected: set[str]) -> None:
    assert set(analyser.analyse(text).codes()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ce n'est pas à cause de mon origine, c'est mon salaire qui ne suffisait pas.",
        "Il ne m'a jamais parlé de religion, il voulait juste un CDI.",
        # Explicit words are kept by the gate, but a denial still drops them.
        "Il ne m'a jamais dit « une famille comme la vôtre », il a été correct avec nous.",
        "je pense pas que c'est raciste, le logement était vraiment déjà loué",
        "Rien à voir avec mes enfants, l'appartement a été vendu.",
        "On m'a refusé l'appartement, mais ça n'a rien à faire avec mon origine.",
        "Je pense que mon origine n'a rien à faire là-dedans, le dossier était incomplet.",
        "ma religion n'y est pour rien, ils ont pris un couple avec deux salaires",
        "le proprio a un accent à couper au couteau, je comprends rien quand il m'appelle",
        "le syndic m a dit que mon age de dossier comptait pas, quelqu'un comprend ?",
        "Le proprio de mon appartement est juif pratiquant, il répare tout en 48 heures.",
        "L'apparence de la résidence est trompeuse : les boîtes aux lettres sont arrachées.",
        "Des champignons noirs partout dans la salle de bain, le bailleur ne vient pas.",
        "c pas pcq jsuis noir je pense, la conseillere etait desagreable avec tout le monde",
        "Le nom du bailleur est écrit sur le courrier.",
        "On cherche l'origine de la fuite depuis trois mois.",
        "Vu l'âge de l'immeuble, les fenêtres ne ferment plus.",
        "La commission a refusé.",
        # A doubt taken back later, also with an elided word ("s'est excusé").
        "Je pensais qu'on me refusait à cause de mon âge. Le propriétaire s'est excusé : il "
        "avait vendu entre-temps.",
        "L'employé de l'agence avait un accent à couper au couteau. L'appart est trop cher.",
        "La commission a refusé, point. Pas de motif, juste une lettre type.",
        "On m'a envoyé un contrat « type » à signer, la visite était type 18h.",
        "je pense pas que c'était les syndicalistes qu'il visait, tout le monde a attendu",
        "La propriétaire chez qui je loue est voilée. Elle a refusé de me rendre la caution.",
        # Everyday senses of slurs, and of words of harassment.
        "Les voisins font la bamboula le soir, le bailleur m'a dit d'acheter une tapette.",
        "Il y a des punaises de lit dans mon lit et le proprio ne répond pas.",
        "ma mutation pour raison de santé attend depuis deux ans, le bailleur ne répond plus",
        "franchement je pense pas que c'etait contre les syndicalistes, tout le monde a attendu",
        "J'ai alerté le bailleur pour la fuite dans la salle de bain.",
        "Mon loyer a encore augmenté et les réparations traînent.",
    ],
)
def test_denials_and_false_friends_suggest_nothing(analyser: Analyser, text: str) -> None:
    assert analyser.analyse(text).grounds == ()


def test_triggers_point_at_the_words_of_the_text(analyser: Analyser) -> None:
    text = "Franchement, vu mon nom et mon accent, l'agent a raccroché."
    analysis = analyser.analyse(text)
    for hit in analysis.grounds:
        assert 0 < hit.score <= 1
        for trigger in hit.triggers:
            assert text[trigger.start : trigger.end] == trigger.text
    assert {t.text for h in analysis.grounds for t in h.triggers} >= {"vu mon nom", "mon accent"}


def test_only_codes_of_the_vocabulary_come_out(analyser: Analyser) -> None:
    rows = [json.loads(line) for line in (CORPUS / "dev.jsonl").open(encoding="utf-8")]
    codes = {c for a in analyser.analyse_batch(r["text"] for r in rows) for c in a.codes()}
    assert codes and codes <= set(GROUNDS)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I was refused the flat because of my name and my accent, the agent was racist", "en"),
        ("No me alquilaron el piso por ser marroquí y tener acento", "es"),
        ("رفضوا أن يؤجروني الشقة بسبب اسمي", "other"),
    ],
)
def test_other_languages_get_no_suggestion_but_redaction(
    analyser: Analyser, text: str, language: str
) -> None:
    analysis = analyser.analyse(f"{text} 06 12 34 56 78 ana@example.org")
    assert analysis.language == language and not analysis.is_french
    assert analysis.grounds == ()
    assert "[TÉLÉPHONE]" in analysis.redacted and "[E-MAIL]" in analysis.redacted


def test_chat_french_without_accents_is_french(analyser: Analyser) -> None:
    analysis = analyser.analyse("jsuis au rsa et le proprio veut pas, il a dit pas de cas sociaux")
    assert analysis.is_french and "vulnerabilite_economique" in analysis.codes()


def test_long_texts_are_cut_and_said_so(analyser: Analyser) -> None:
    analysis = analyser.analyse("On m'a refusé à cause de mon voile. " * 400)
    assert analysis.truncated and "religion" in analysis.codes()
    assert analyser.analyse("").grounds == () and not analyser.analyse("ok").truncated


def test_glued_texting_words_are_read_as_their_words(analyser: Analyser) -> None:
    text = "Jsuis allée a lagence, JAI rien compris"
    doc = analyser.nlp(text)
    assert doc.text == text  # offsets shown to the person still point at what they typed
    assert [t.norm_ for t in doc] == ["j'", "suis", "allee", "a", "l'", "agence", ",", "j'", "ai",
                                      "rien", "compris"]  # fmt: skip
    assert doc[1].lemma_ == "etre"


def test_texting_ma_dit_is_not_a_possessive(analyser: Analyser) -> None:
    told = analyser.nlp("la proprio ma dit non, ma demande est bloquée")
    assert [t.norm_ for t in told][2:4] == ["m'", "dit"]
    assert [t.norm_ for t in told][6:8] == ["ma", "demande"]  # "my application" stays "ma"
