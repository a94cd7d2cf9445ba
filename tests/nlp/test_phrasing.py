"""The phrasing model: shipped weights that fit the codes, a trainer that learns a ground's own
direction, and a clue said as the reason read apart from the same clue said in passing."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import GROUNDS, Analyser, gate
from nlp.gate import Trained
from nlp.phrasing import WIDTH, PhrasingModel, fit, pooled


def test_shipped_model_fits_the_codes() -> None:
    model = PhrasingModel.load()
    assert model is not None
    assert model.weights.shape == (2 * WIDTH + 1, len(GROUNDS))


def test_the_trainer_learns_what_each_ground_reads_in_the_same_vector() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 2 * WIDTH)) * 3 + 1
    grounds = rng.integers(0, 2, size=600)
    # The same direction means "the reason" for ground 0 and "in passing" for ground 1.
    y = np.where(grounds == 0, x[:, 0] > 1, x[:, 0] < 1).astype(float)
    w = fit(x, grounds, y, l2=0.0001, steps=800)
    z = np.einsum("ij,ij->i", x, w[:-1, grounds].T) + w[-1, grounds]
    far = np.abs(x[:, 0] - 1) > 1
    assert ((z[far] > 0) == (y[far] == 1)).all()


@pytest.mark.parametrize(
    ("reason", "in_passing"),
    [
        (
            "Elle m'a dit que les handicapés c'était pas possible ici.",
            "Je suis handicapé et ma demande attend depuis trois ans.",
        ),
        (
            "On m'a refusé l'appartement à cause de mon origine.",
            "Je suis d'origine italienne et j'ai eu mon appartement sans souci.",
        ),
    ],
)
def test_a_clue_said_as_the_reason_reads_higher(
    analyser: Analyser, reason: str, in_passing: str
) -> None:
    trained = analyser.gate.trained
    assert trained is not None

    def said(text: str) -> float:
        doc = analyser.nlp(text)
        (cand,) = analyser.rules.candidates(doc)
        return trained.phrasing.probabilities(doc, [cand])[0]

    assert said(reason) > said(in_passing) + 0.05


def test_a_pipeline_without_token_vectors_is_refused(analyser: Analyser) -> None:
    doc = analyser.nlp("Il a refusé à cause de mon accent.")
    (cand,) = analyser.rules.candidates(doc)
    doc.tensor = np.zeros((0, 0), dtype=np.float32)
    with pytest.raises(ValueError, match="tok2vec"):
        pooled(doc, cand)


def test_without_a_trained_gate_there_is_nothing_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "load_weights", lambda: None)
    assert Trained.load() is None


def test_the_gate_refuses_to_run_without_the_models_it_was_trained_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(PhrasingModel, "load", classmethod(lambda cls: None))
    with pytest.raises(ValueError, match="retrain"):
        Trained.load()
