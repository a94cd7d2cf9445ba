"""The gate: decides which of the rules' candidate grounds to suggest.

The rules find clues well (they cover about 97 % of the labelled grounds) but a clue is often a
word of the story, not the reason for the treatment: "je suis maman solo, j'attends depuis trois
ans" names a family situation without saying it was held against anyone. The gate weighs each
candidate with sixteen facts about its clues — strong or weak, after "parce que", quoted, in a
sentence where someone did something to the person, right after "je suis" — and about the story
(it went well, it asks a question, its grievances are ordinary), alone and in pairs; and with
what the word model (`nlp/words.py`) reads in the whole story for that ground, and with how the
clue is phrased (`nlp/phrasing.py`, from spaCy's token vectors around it). Its weights are a
logistic regression trained by `python -m nlp.train` on train.jsonl and the extra sets (never
dev, check or test) and kept as data in `nlp/model/gate.json`. The score shown is the gate's
probability, or the rules' score when a short message states the reason ("parce que je suis…") or
the words are the treatment itself ("une famille comme la vôtre"). A ground no rule saw a clue
for is suggested when the word model alone is sure of it.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc

from nlp.codes import GROUNDS
from nlp.phrasing import PhrasingModel
from nlp.rules import STRONG, Candidate, GroundHit, GroundRules, load_lexicon
from nlp.text import fold, folded_words, token_strings
from nlp.words import WordModel, terms

THRESHOLD = 0.5
# A ground no rule saw a clue for is suggested when the word model alone is this sure.
WORDS_ALONE = 0.7
# A message of at most this many tokens that states its reason keeps it (Gate.stated).
SHORT = 40
QUOTES = frozenset('«»"“”')
ENDS = frozenset((".", "!", "?", "...", "…"))
FACTS = (
    "score", "strong", "weak", "caused", "because", "quoted", "treated", "self_only", "unfair",
    "complaint", "good", "question", "length", "others", "best", "elsewhere",
)  # fmt: skip
# Facts also count in pairs: a strong clue weighs less in a story that went well.
PAIRS = tuple(itertools.combinations(range(len(FACTS)), 2))
NAMES = (
    "bias",
    *FACTS,
    *(f"{FACTS[i]}*{FACTS[j]}" for i, j in PAIRS),
    "words",
    "words*words",
    *(f"words*{fact}" for fact in FACTS),
    "phrasing",
    "phrasing*phrasing",
    "phrasing*score",
    *(f"is_{code}" for code in GROUNDS),
)


@dataclass(frozen=True)
class Context:
    treatment: frozenset[str]
    because: frozenset[str]
    self: frozenset[str]
    unfair: frozenset[str]
    complaint: frozenset[str]
    good: tuple[tuple[str, str], ...]  # (first word, phrase), on the folded words of a text
    question: tuple[tuple[str, str], ...]

    @classmethod
    def load(cls, lang: str = "fr") -> Context:
        words = load_lexicon(lang)["context"]
        sets = [
            frozenset(fold(w) for w in words[k]) for k in ("treatment", "because", "self", "unfair")
        ]
        # Spaced like the tokens ("j' ai signe"), so a phrase meets the folded words of a text.
        spaced = [[fold(p).replace("'", "' ") for p in words[k]] for k in ("good", "question")]
        phrases = [tuple((p.split(" ", 1)[0], f" {p} ") for p in group) for group in spaced]
        return cls(*sets, frozenset(fold(w) for w in words["complaint"]), *phrases)

    def counts(self, text: str) -> tuple[int, int]:
        """How many "it went well" and question phrases `text` (spaced folded words) holds. A
        phrase can only be there if its first word is one of the text's: the others are not
        searched."""
        words = set(text.split(" "))
        good = sum(text.count(p) for first, p in self.good if first in words)
        question = sum(text.count(p) for first, p in self.question if first in words)
        return good, question


def _sentence(bounds: list[int], size: int, i: int) -> tuple[int, int]:
    """Token i's sentence, as [first, last), without the mark that closes it: `bounds` holds
    the indices of the end marks and line breaks, in order."""
    k = bisect.bisect_left(bounds, i)
    return (bounds[k - 1] + 1 if k else 0), (bounds[k] if k < len(bounds) else size)


def features(
    rules: GroundRules,
    context: Context,
    doc: Doc,
    candidates: list[Candidate],
    words: dict[str, float],
    phrasing: Sequence[float],
) -> list[list[float]]:
    """One row of len(NAMES) numbers per candidate, in the candidates' order; `words` holds
    the word model's probability of each ground for the whole story, `phrasing` the phrasing
    model's for each candidate."""
    if not candidates:
        return []
    texts, norms, lemmas = token_strings(doc)
    # The person's own framing, not the words they report ("« plus prudent pour tout le
    # monde »"): the words outside quotes.
    if QUOTES.isdisjoint(texts):
        inside = [False] * len(texts)
        own = folded_words(doc)
    else:
        opened, inside = False, []
        for text in texts:  # is each token between quotes?
            if text in QUOTES:
                opened = not opened if text == '"' else text in "«“"
            inside.append(opened)
        own = " " + " ".join(n for n, quoted in zip(norms, inside, strict=True) if not quoted)
        own += " "
    good, question = context.counts(own)
    seen = set(norms) | set(lemmas)
    unfair = bool(seen & context.unfair)
    grievances = context.complaint
    complaint = sum(
        1 for n, lem in zip(norms, lemmas, strict=True) if n in grievances or lem in grievances
    )
    best = max(c.score for c in candidates)
    bounds = [i for i, text in enumerate(texts) if text in ENDS or "\n" in text]
    treated_in: dict[int, bool] = {}  # by sentence start: clues share their sentences
    rows = []
    for cand, phrased in zip(candidates, phrasing, strict=True):
        strong = len({tuple(lemmas[s:e]) for s, e, w in cand.clues if w >= STRONG})
        weak = len({tuple(lemmas[s:e]) for s, e, w in cand.clues if w < STRONG})
        caused = because = quoted = treated = False
        self_only = True
        for s, _end, _ in cand.clues:
            caused = caused or rules.caused(doc, s)
            window = {*norms[max(0, s - 6) : s], *lemmas[max(0, s - 6) : s]}
            because = because or bool(window & context.because)
            quoted = quoted or inside[s]
            first, last = _sentence(bounds, len(texts), s)
            if not treated:
                if first not in treated_in:
                    treated_in[first] = any(
                        norms[i] in context.treatment or lemmas[i] in context.treatment
                        for i in range(first, last)
                    )
                treated = treated_in[first]
            before = {*norms[max(first, s - 3) : s], *lemmas[max(first, s - 3) : s]}
            self_only = self_only and bool(before & context.self)
        facts = [
            cand.score,
            min(strong, 3) / 3,
            min(weak, 4) / 4,
            float(caused),
            float(because),
            float(quoted),
            float(treated),
            float(self_only),
            float(unfair),
            math.log1p(complaint) / 3,
            min(good, 2) / 2,
            min(question, 2) / 2,
            math.log1p(len(doc)) / 6,
            min(len(candidates) - 1, 4) / 4,
            float(cand.score >= best),
            float(good > 0 and question > 0 and not quoted),  # "went well; my problem is…"
        ]
        said = words[cand.code]
        rows.append(
            [
                1.0,
                *facts,
                *[a * b for a, b in itertools.combinations(facts, 2)],  # PAIRS' order
                said,
                said * said,
                *(said * fact for fact in facts),
                phrased,
                phrased * phrased,
                phrased * cand.score,
                *(float(cand.code == code) for code in GROUNDS),
            ]
        )
    return rows


def probability(weights: list[float], row: list[float]) -> float:
    z = sum(map(operator.mul, weights, row))  # lengths checked by load_weights
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load_weights() -> list[float] | None:
    """The trained weights, or None when no gate was trained (the rules' threshold applies)."""
    path = resources.files("nlp.model").joinpath("gate.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != NAMES:
        raise ValueError("nlp/model/gate.json does not match the gate's features: retrain it")
    return [float(w) for w in data["weights"]]


def alone(said: dict[str, float], candidates: list[Candidate]) -> list[str]:
    """The grounds no rule saw a clue for that the word model is sure of by itself."""
    clued = {c.code for c in candidates}
    return [code for code, p in said.items() if p >= WORDS_ALONE and code not in clued]


@dataclass(frozen=True)
class Trained:
    """The gate's weights with the two models whose answers they were trained on."""

    weights: list[float]
    words: WordModel
    phrasing: PhrasingModel

    @classmethod
    def load(cls) -> Trained | None:
        """The shipped files, or None when no gate was trained (the rules' threshold applies)."""
        weights, words, phrasing = load_weights(), WordModel.load(), PhrasingModel.load()
        if weights is None:
            return None
        if words is None or phrasing is None:
            raise ValueError("nlp/model/ lacks the models the gate was trained with: retrain")
        return cls(weights, words, phrasing)


class Gate:
    """Rules propose, the gate disposes: the grounds suggested for one analysed text."""

    def __init__(self, rules: GroundRules, trained: Trained | None) -> None:
        """`trained` from `Trained.load()`; None keeps the rules' own threshold."""
        self.rules = rules
        self.context = Context.load()
        self.trained = trained

    def __call__(self, doc: Doc) -> list[GroundHit]:
        candidates = self.rules.candidates(doc)
        trained = self.trained
        if trained is None:
            return sorted(
                (c.hit() for c in candidates if c.score >= THRESHOLD),
                key=lambda h: (-h.score, h.code),
            )
        found = terms(doc)
        said = trained.words.probabilities(found)
        phrasing = trained.phrasing.probabilities(doc, candidates)
        rows = features(self.rules, self.context, doc, candidates, said, phrasing)
        hits = []
        for cand, row in zip(candidates, rows, strict=True):
            p = self.floored(doc, cand, probability(trained.weights, row))
            if p >= THRESHOLD:
                hits.append(cand.hit(round(p, 3)))
        for code in alone(said, candidates):
            hit = trained.words.hit(doc, found, code, said[code])
            if hit is not None:
                hits.append(hit)
        return sorted(hits, key=lambda h: (-h.score, h.code))

    def floored(self, doc: Doc, cand: Candidate, p: float) -> float:
        """The gate's probability, raised to the rules' score when the words are the treatment
        itself (a slur) or a short message states the reason ("refusé parce que je suis au
        RSA")."""
        return max(p, cand.score) if cand.explicit or self.stated(doc, cand) else p

    def stated(self, doc: Doc, cand: Candidate) -> bool:
        """Does a short message introduce a strong clue by the reason itself, in its clause
        ("refusé parce que je suis au RSA", "à cause de mon accent")? The gate learnt from long
        stories, where such words are everywhere, and gives a one-line message too little. In
        a long story it weighs them with the rest: there, the floor added 10 right suggestions
        and 44 wrong ones out of fold, many after a doubt ("j'ai cru que c'était parce que…")."""
        if len(doc) > SHORT:
            return False
        because = self.context.because
        return any(
            weight >= STRONG and self.rules.preceded(doc, s, because, 4)
            for s, _end, weight in cand.clues
        )
