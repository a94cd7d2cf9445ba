"""The NER run near possible names redacts what it redacts on the whole text, and skips the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span

from nlp import Analyser
from nlp.entities import NEAR_NAMES, NearNames
from nlp.pipeline import fold_tokens
from nlp.text import clean

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data" / "redaction"


def _redacted_with_the_whole_text(analyser: Analyser, text: str) -> tuple[str, int]:
    """The redaction when the NER reads every word, and how many names and places it found."""
    nlp = analyser.nlp
    with nlp.select_pipes(disable=[NEAR_NAMES, "vecus_fold"]):
        doc = nlp(text)
    doc = fold_tokens(nlp.get_pipe("ner")(doc))
    names = [e for e in doc.ents if e.label_ in ("PER", "LOC") and any(t.pos == PROPN for t in e)]
    return analyser.redactor.redact(doc, text)[0], len(names)


def test_near_names_redacts_as_the_whole_text_does(analyser: Analyser) -> None:
    texts = [clean(json.loads(line)["text"]) for line in (DATA / "dev.jsonl").open("rb")]
    whole = [_redacted_with_the_whole_text(analyser, t) for t in texts]
    assert sum(found for _, found in whole) > 100  # the set is full of names and places
    expected = [redacted for redacted, _ in whole]
    assert [analyser.analyse(t).redacted for t in texts] == expected
    assert [a.redacted for a in analyser.analyse_batch(texts, batch_size=16)] == expected


def test_a_name_at_the_end_of_a_long_story_is_found(analyser: Analyser) -> None:
    story = "on a attendu des mois et personne ne répond a nos messages. " * 20
    doc = analyser.nlp(story + "Le gardien s'appelle Karim Benali.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Karim Benali", "PER")]


def test_a_story_without_capitals_or_proper_nouns_skips_the_ner(
    analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_ner(doc: Doc) -> Doc:
        raise AssertionError("the NER ran")

    monkeypatch.setattr(analyser.nlp.get_pipe(NEAR_NAMES), "ner", no_ner)
    doc = analyser.nlp("on m a dit que le logement etait deja pris, ca fait trois fois")
    assert doc.ents == () and {t.ent_iob_ for t in doc} == {"O"}


def test_an_entity_across_two_windows_is_cut_not_lost(analyser: Analyser) -> None:
    doc = analyser.nlp.make_doc("un deux trois quatre cinq six sept huit neuf dix")
    near = Doc(doc.vocab, words=["deux", "trois", "huit", "neuf"])
    near.set_ents([Span(near, 1, 3, "PER")])  # "trois huit": the end of a window, the next one
    NearNames._entities(doc, [1, 2, 7, 8], near)
    assert [(e.text, e.label_) for e in doc.ents] == [("trois", "PER"), ("huit", "PER")]
