"""The gate: shipped weights that fit the code, a trainer that learns, and what a person sees."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import Analyser
from nlp.codes import GROUNDS
from nlp.gate import NAMES, SHORT, THRESHOLD, Gate, features, load_weights
from nlp.train import fit


def test_shipped_weights_fit_the_features() -> None:
    weights = load_weights()
    assert weights is not None and len(weights) == len(NAMES)


def test_the_trainer_learns_a_separable_rule() -> None:
    rng = np.random.default_rng(0)
    x = np.zeros((200, len(NAMES)))
    x[:, 0] = 1.0
    x[:, 1] = rng.random(200)
    y = (x[:, 1] > 0.5).astype(float)
    w = fit(x, y, l2=0.0001, steps=3000)
    predicted = 1 / (1 + np.exp(-(x @ w))) >= 0.5
    far = np.abs(x[:, 1] - 0.5) > 0.1  # the border itself may go either way
    assert (predicted[far] == (y[far] == 1)).all()


def test_without_weights_the_rules_threshold_decides(analyser: Analyser) -> None:
    doc = analyser.nlp(
        "Je suis maman solo avec trois enfants. On m'a refusé à cause de mes enfants."
    )
    plain = Gate(analyser.rules, None)
    expected = {c.code for c in analyser.rules.candidates(doc) if c.score >= THRESHOLD}
    assert {h.code for h in plain(doc)} == expected == {"situation_famille"}


@pytest.mark.parametrize(
    "text",
    [
        "jsuis en fauteuil et g eu mon logement adapté en janvier, nickel. par contre les charges"
        " ont doublé sur la regul de cette annee, c normal ca??",
        "Ma femme porte le voile et on avait un peu peur pour la visite. Finalement le"
        " propriétaire n'a fait aucune remarque et on a eu l'appartement. Mon problème c'est le"
        " chauffe-eau qui fuit depuis un mois.",
    ],
)
def test_a_trait_told_beside_an_ordinary_complaint_suggests_nothing(
    analyser: Analyser, text: str
) -> None:
    assert analyser.analyse(text).codes() == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On m'a refusé l'appartement parce que je suis au RSA.", ("vulnerabilite_economique",)),
        ("refusé car je suis enceinte", ("grossesse",)),
        ("Il a refusé à cause de mon accent.", ("langue",)),
    ],
)
def test_a_short_clear_story_keeps_its_ground(
    analyser: Analyser, text: str, expected: tuple[str, ...]
) -> None:
    assert analyser.analyse(text).codes() == expected


def test_a_stated_reason_overrides_the_gate_only_in_a_short_message(analyser: Analyser) -> None:
    """In a long story the gate weighs "parce que" with the rest of what was said."""
    said = "On m'a refusé l'appartement parce que je suis au RSA."
    before = "J'ai cherché pendant des mois, avec un travail stable et tous mes papiers en ordre. "
    for text, stated in ((said, True), (before * 3 + said, False)):
        doc = analyser.nlp(text)
        assert (len(doc) <= SHORT) is stated
        rsa = [c for c in analyser.rules.candidates(doc) if c.code == "vulnerabilite_economique"]
        assert len(rsa) == 1
        assert analyser.gate.stated(doc, rsa[0]) is stated


@pytest.mark.parametrize(
    "story",
    [
        "Le proprio a vu mon fauteuil et mon nom. Il a dit non, à cause de mes enfants.",
        "Elle m'a dit « pas d'étrangers ni de gens au RSA » puis elle a raccroché",
    ],
)
def test_each_candidate_gets_one_value_per_feature_name(analyser: Analyser, story: str) -> None:
    doc = analyser.nlp(story)
    candidates = analyser.rules.candidates(doc)
    said = {code: 0.5 for code in GROUNDS}
    rows = features(
        analyser.rules, analyser.gate.context, doc, candidates, said, [0.5] * len(candidates)
    )
    assert len(candidates) >= 2
    assert [len(row) for row in rows] == [len(NAMES)] * len(candidates)


def test_scores_shown_are_the_gates_probabilities(analyser: Analyser) -> None:
    hits = analyser.analyse("Le proprio m'a dit : pas d'Arabes chez moi.").grounds
    assert [h.code for h in hits] == ["origine"]
    assert THRESHOLD <= hits[0].score <= 1.0
    assert "arabes" in hits[0].triggers[0].text.lower()


def test_training_reports_scores_from_models_that_never_saw_the_story(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import nlp.train as train

    monkeypatch.setattr(train, "TRAIN", ("train.jsonl",))  # the team's 401 stories: ~15 s
    train.main(["--report", "--output", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    scores = {line.split()[1]: float(line.split()[3]) for line in lines if "out-of-fold" in line}
    assert set(scores) == {"train.jsonl", "all"} and scores["all"] == scores["train.jsonl"]
    assert 0.75 < scores["all"] < 1.0  # fitted on four fifths, scored on the fifth left out
    assert {p.name for p in tmp_path.iterdir()} == {"words.npz", "phrasing.npz", "gate.json"}
