"""Grounds from rules: phrases of the lexicon matched on folded words and lemmas, with negation
kept as an attribute of each hit and decided at the ground level.

A hit is denied only when a negation cue in the same clause bears on the *link* ("ce n'est pas à
cause de mon origine", "rien à voir avec mes enfants", "il ne m'a jamais parlé de religion") or on
an accusation ("je pense pas que c'est raciste"), or when the person doubts what happened ("je
pense pas que c'était contre les syndicalistes"). "Pas d'étrangers" or "je suis pas française"
are not denials: the first is the discriminatory rule itself, the second an attribute. A hit is
also dropped when it describes someone else ("mon proprio est juif") or when a doubt is taken
back later ("j'ai cru que c'était mon accent… en fait").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.codes import GROUNDS
from nlp.entities import NEAR_NAMES
from nlp.text import fold, folded_words, token_strings

STRONG, WEAK = 0.9, 0.2  # one strong clue, or four distinct weak ones (gate.THRESHOLD 0.5)


@dataclass(frozen=True)
class Trigger:
    start: int  # character offsets in the analysed text
    end: int
    text: str


@dataclass(frozen=True)
class GroundHit:
    code: str
    score: float
    triggers: tuple[Trigger, ...]


@dataclass(frozen=True)
class Candidate:
    """A ground with its clues (token spans and weights) in one text."""

    doc: Doc
    code: str
    clues: tuple[tuple[int, int, float], ...]
    explicit: bool = False  # a clue is the treatment itself (a slur): the gate keeps it

    @property
    def score(self) -> float:
        miss, seen, lemmas = 1.0, set(), token_strings(self.doc)[2]
        for s, e, weight in self.clues:
            words = tuple(lemmas[s:e])
            if words not in seen:  # the same word twice is one clue
                seen.add(words)
                miss *= 1.0 - weight
        return round(1.0 - miss, 3)

    def hit(self, score: float | None = None) -> GroundHit:
        doc = self.doc
        triggers = tuple(
            Trigger(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), doc[s:e].text)
            for s, e, _ in self.clues
        )
        return GroundHit(self.code, self.score if score is None else score, triggers)


@dataclass(frozen=True)
class Negation:
    cues: frozenset[str]
    links: frozenset[str]
    possessives: frozenset[str]
    stops: frozenset[str]
    judgements: frozenset[str]
    thinking: frozenset[str]
    articles: frozenset[str]
    window: int


def load_lexicon(lang: str = "fr") -> dict:
    text = resources.files("nlp.lexicon").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    lexicon = tomllib.loads(text)
    unknown = set(lexicon["grounds"]) - set(GROUNDS)
    if unknown:
        raise ValueError(f"unknown ground codes in lexicon {lang}: {sorted(unknown)}")
    return lexicon


class GroundRules:
    """Built once per pipeline (a few hundred ms); then about a millisecond per text."""

    def __init__(self, nlp: Language, lang: str = "fr") -> None:
        lexicon = load_lexicon(lang)
        neg = lexicon["negation"]
        self.negation = Negation(
            cues=frozenset(fold(w) for w in neg["cues"]),
            links=frozenset(fold(w) for w in neg["links"]),
            possessives=frozenset(fold(w) for w in neg["possessives"]),
            stops=frozenset(fold(w) for w in neg["stops"]),
            judgements=frozenset(fold(w) for w in neg["judgements"]),
            thinking=frozenset(fold(w) for w in neg["thinking"]),
            articles=frozenset(fold(w) for w in neg["articles"]),
            window=int(neg["window"]),
        )
        # Tokenised like the texts, so "c'était" meets "c' etait".
        self.reassurances = tuple(
            " " + " ".join(fold(t.text) for t in nlp.make_doc(p)) + " "
            for p in lexicon["reassurance"]["phrases"]
        )
        others = lexicon["others"]
        self.people = frozenset(fold(w) for w in others["people"])
        self.trait_verbs = frozenset(fold(w) for w in others["verbs"])
        self.speech = frozenset(fold(w) for w in others["speech"])
        self.having = frozenset(fold(w) for w in others["having"])
        self.subjects = frozenset(fold(w) for w in others["subjects"])
        retraction = lexicon["retraction"]
        self.doubts = frozenset(fold(w) for w in retraction["doubts"])
        self.takebacks = tuple(
            " ".join(fold(t.text) for t in nlp.make_doc(p)) for p in retraction["takebacks"]
        )
        causal = lexicon["causal"]
        self.causal_words = frozenset(fold(w) for w in causal["cues"])
        self.causal_window = int(causal["window"])
        self.surface = PhraseMatcher(nlp.vocab, attr="NORM")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.blockers = PhraseMatcher(nlp.vocab, attr="NORM")
        self.weights: dict[str, tuple[str, float]] = {}
        self.explicit: set[str] = set()  # keys of the "explicit" phrases
        for code, entry in lexicon["grounds"].items():
            for kind, weight in (("explicit", STRONG), ("strong", STRONG), ("weak", WEAK)):
                phrases = entry.get(kind, [])
                if not phrases:
                    continue
                key = f"{code}/{kind}"
                self.weights[key] = (code, weight)
                if kind == "explicit":
                    self.explicit.add(key)
                docs = self._docs(nlp, phrases)
                self.surface.add(key, docs)
                # Lemmas widen a phrase written in its base form ("étranger" meets
                # "étrangères"); a lemma guessed out of context ("croix" -> "croire") does not.
                base = [d for d in docs if len(d) and [t.lemma_ for t in d] == [t.norm_ for t in d]]
                self.lemma.add(key, base)
            blockers = entry.get("not", [])
            if blockers:
                self.blockers.add(code, self._docs(nlp, blockers))

    @staticmethod
    def _docs(nlp: Language, phrases: list[str]) -> list[Doc]:
        """Patterns go through the pipeline (lemmas need it); the NER is not needed there."""
        with nlp.select_pipes(disable=[NEAR_NAMES]):
            return list(nlp.pipe(phrases))

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every ground with at least one clue left after negation, whatever its score."""
        words = folded_words(doc)
        if any(p in words for p in self.reassurances):
            return []  # "tout s'est bien passé": a story that went well points to no ground
        vocab = doc.vocab.strings
        blocked: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in self.blockers(doc):
            blocked.setdefault(vocab[key], []).append((start, end))
        spans: dict[tuple[str, int, int], float] = {}
        explicit: set[tuple[str, int, int]] = set()
        for matcher in (self.surface, self.lemma):
            for key, start, end in matcher(doc):
                code, weight = self.weights[vocab[key]]
                if any(s <= start and end <= e for s, e in blocked.get(code, ())):
                    continue
                spans[(code, start, end)] = max(weight, spans.get((code, start, end), 0.0))
                if vocab[key] in self.explicit:
                    explicit.add((code, start, end))
        by_code: dict[str, list[tuple[int, int, float]]] = {}
        for (code, start, end), weight in spans.items():
            by_code.setdefault(code, []).append((start, end, weight))
        found = []
        doubted = not self.doubts.isdisjoint(token_strings(doc)[1])  # once, not for each clue
        for code, clues in by_code.items():
            left = [(s, e, w) for s, e, w in clues if not self.denied(doc, s, e, doubted)]
            kept = _merged(
                [(s, e, STRONG if w < STRONG and self.caused(doc, s) else w) for s, e, w in left]
            )
            if kept:
                said = any((code, s, e) in explicit for s, e, _ in left)
                found.append(Candidate(doc, code, tuple(kept), said))
        return found

    def caused(self, doc: Doc, start: int) -> bool:
        """Is a causal cue just before this hit, in the same clause ("à cause de mes enfants")?"""
        return self.preceded(doc, start, self.causal_words, self.causal_window)

    def preceded(self, doc: Doc, start: int, cues: frozenset[str], window: int) -> bool:
        """Is one of these words among the `window` words before `start`, in the same clause?"""
        for word in reversed(token_strings(doc)[1][max(0, start - window) : start]):
            if word in self.negation.stops:
                return False
            if word in cues:
                return True
        return False

    @staticmethod
    def _presentative(doc: Doc, cue: int) -> bool:
        """ "c'est pas la langue" denies; "il compte pas l'AAH" states the rule itself."""
        before = token_strings(doc)[1][max(0, cue - 3) : cue]
        return any(w in ("est", "etait", "c'est") for w in before) and any(
            w in ("c'", "c", "ce") for w in before
        )

    @staticmethod
    def _restart(doc: Doc, i: int) -> bool:
        """ "c'est pas mon salaire, c'est mon nom": a new "c'est" starts a new claim, unless it
        is the object of a thought ("je pense pas que c'est raciste")."""
        w = token_strings(doc)[1]
        if w[i] != "est" or i == 0 or w[i - 1] not in ("c'", "c", "ce"):
            return False
        return i < 2 or w[i - 2] not in ("que", "qu'")

    def _listed_rule(self, w: list[str], ni: int) -> bool:
        """ "ni de nationalité" is listed among what it was not, but in "pas de noirs ni
        d'arabes" the "ni" carries on the rule itself ("pas de X ni de Y")."""
        if ni + 1 >= len(w) or w[ni + 1] not in ("de", "d'"):
            return False
        for i in range(ni - 1, max(-1, ni - self.negation.window), -1):
            if w[i] in self.negation.stops:
                return False
            if w[i] in ("pas", "ni", "aucun", "aucune"):
                return w[i + 1] in ("de", "d'")
        return False

    def _doubting(self, w: list[str], cue: int) -> bool:
        """ "je (ne) pense pas que c'était…": the person doubts what the clause says happened;
        "je pense pas que les gens en fauteuil soient acceptés" is an accusation, kept."""
        return (
            cue > 0
            and w[cue - 1] in self.negation.thinking
            and bool({"je", "j'"} & set(w[max(0, cue - 3) : cue - 1]))
            and cue + 2 < len(w)
            and w[cue + 2] in ("c'", "c", "ce", "ca", "cela")
        )

    def retracted(self, doc: Doc, start: int) -> bool:
        """A doubt voiced in this sentence, then taken back later in the text."""
        w = token_strings(doc)[1]
        i = start - 1
        while i >= 0 and w[i] not in (".", "!", "?"):
            if w[i] in self.doubts:
                later = " ".join(w[start:])
                return any(f" {t} " in f" {later} " for t in self.takebacks)
            i -= 1
        return False

    def of_someone_else(self, doc: Doc, start: int) -> bool:
        """ "Mon propriétaire est juif pratiquant", "la voisine porte le niqab", "le proprio a un
        accent": the clause describes another person (person, then a verb of being, wearing or
        having, then the clue)."""
        w = token_strings(doc)[1]
        for i in range(start - 1, max(-1, start - 6), -1):
            word = w[i]
            if (
                word in self.negation.stops
                or word in self.speech
                or word in self.negation.possessives
            ):
                return False
            if word in self.trait_verbs or (
                word in self.having and w[i + 1] in ("un", "une", "des")
            ):  # "le proprio de mon appartement est juif", within the clause
                subject = w[i - 2] if i > 1 and w[i - 1] in ("ne", "n'") else w[i - 1]
                if i > 0 and subject in self.subjects:  # "il a su qu'on était homos"
                    return False
                return self.preceded(doc, i, self.people, 5)
        return False

    def denied(self, doc: Doc, start: int, end: int, doubted: bool = True) -> bool:
        """Is the link between this hit and the story denied, in the same clause? `doubted`
        False says the text holds no word of doubt (nothing to take back)."""
        if (doubted and self.retracted(doc, start)) or self.of_someone_else(doc, start):
            return True
        neg, w = self.negation, token_strings(doc)[1]
        judgement = any(x in neg.judgements for x in w[start:end])
        between: list[str] = []
        i = start - 1
        while i >= 0 and start - i <= neg.window:
            word = w[i]
            if word in neg.stops or (word == "est" and self._restart(doc, i)):  # no call per word
                break
            # "pas d'étrangers" is the rule itself, not a denial; "pas au RSA" (nothing between),
            # "pas la langue", "pas à cause de mon nom" (a link, a possessive) deny.
            if word in neg.cues and (
                judgement
                or not between
                or (word == "ni" and not self._listed_rule(w, i))
                or (all(w in neg.articles for w in between) and self._presentative(doc, i))
                or (between[-1] in ("que", "qu'") and self._doubting(w, i))
                or any(w in neg.links or w in neg.possessives for w in between)
            ):
                return True
            between.append(word)
            i -= 1
        # After the hit: "mon nom n'a rien à voir", "la religion c'était pas le problème".
        after: list[str] = []
        for word in w[end : end + neg.window]:
            if word in neg.stops:
                break
            after.append(word)
        cue = next((n for n, w in enumerate(after) if w in neg.cues), None)
        if cue is None:
            return False
        # "n'y est pour rien" denies; in "vous comprenez jamais rien", "rien" only adds to "jamais".
        return any(
            w in neg.links and not (w in neg.cues and after[k - 1] in neg.cues)
            for k, w in enumerate(after[cue + 1 :], cue + 1)
        )


def _merged(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Merge overlapping hits of the same ground: one clue counts once, with its best weight."""
    kept: list[tuple[int, int, float]] = []
    for s, e, w in sorted(spans):
        if kept and s < kept[-1][1]:
            ks, ke, kw = kept[-1]
            kept[-1] = (ks, max(ke, e), max(kw, w))
        else:
            kept.append((s, e, w))
    return kept
