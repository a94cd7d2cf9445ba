"""The word model: shipped weights that fit the codes, a trainer that learns, and the words a
person is shown when it suggests a ground on its own."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nlp import GROUNDS, Analyser
from nlp.gate import Gate, Trained
from nlp.words import WordModel, fit, terms


def with_words(model: WordModel) -> Trained:
    trained = Trained.load()
    assert trained is not None
    return replace(trained, words=model)


def test_shipped_model_fits_the_codes() -> None:
    model = WordModel.load()
    assert model is not None
    assert model.weights.shape == (len(model.index) + 1, len(GROUNDS))
    assert "voile" in model.index and "etranger" in model.index


def test_terms_are_lemmas_and_adjacent_pairs_without_names(analyser: Analyser) -> None:
    found = terms(analyser.nlp("Mme Durand m'a dit : les étrangers, pas chez moi !"))
    assert {"etranger", "pas", "chez", "pas chez", "chez moi"} <= set(found)
    assert not {",", "etranger ,", "etranger pas"} & set(found)  # not across a comma
    assert not any("durand" in t.lower() for t in found)


def test_the_trainer_learns_which_word_points_to_which_ground() -> None:
    rng = np.random.default_rng(0)
    docs = [rng.choice(50, size=8, replace=False) for _ in range(300)]
    y = np.array([[0 in d, 1 in d and 2 not in d] for d in docs], dtype=float)
    w = fit(docs, y, n_terms=50, l2=0.0001, steps=600)
    p = 1 / (1 + np.exp(-np.array([w[d].sum(axis=0) + w[-1] for d in docs])))
    assert ((p >= 0.5) == (y == 1)).all()


def test_a_ground_from_the_words_alone_shows_its_telling_words(analyser: Analyser) -> None:
    weights = np.full((4, len(GROUNDS)), 0.0, dtype=np.float32)
    weights[-1] = -10.0
    religion = GROUNDS.index("religion")
    weights[0, religion], weights[1, religion], weights[2, religion] = 15.0, 20.0, 20.0
    model = WordModel({"zzzmot": 0, "vous": 1, "Durand": 2, "durand": 2}, weights)
    gate = Gate(analyser.rules, with_words(model))
    text = "Mme Durand, la gardienne, vous savez, m'a encore parlé du zzzmot hier soir."
    hits = gate(analyser.nlp(text))
    assert [h.code for h in hits] == ["religion"]
    (trigger,) = hits[0].triggers
    assert text[trigger.start : trigger.end] == trigger.text == "zzzmot"
    assert hits[0].score > 0.99


def test_no_ground_from_the_words_alone_without_a_word_to_show(analyser: Analyser) -> None:
    weights = np.zeros((2, len(GROUNDS)), dtype=np.float32)
    weights[-1] = -10.0
    weights[0, GROUNDS.index("religion")] = 20.0
    gate = Gate(analyser.rules, with_words(WordModel({"vous": 0}, weights)))
    assert gate(analyser.nlp("Vous savez, la gardienne m'a encore parlé hier soir.")) == []
