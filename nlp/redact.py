"""Redaction of personal data, in layers (engineering notes): patterns for what has a shape
(e-mails, phones, IBANs, numbers, addresses, dates of birth), a first-name list matched on lowercase
chat text, context ("je m'appelle X", "Mme X", "mon voisin X"), then spaCy's NER for the rest.

Where two layers disagree, the more specific wins (an address beats the person name inside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Token

from nlp.places import Towns
from nlp.text import fold, token_strings

PLACEHOLDERS = {
    "NOM": "[NOM]",
    "LIEU": "[LIEU]",
    "ADRESSE": "[ADRESSE]",
    "TELEPHONE": "[TÉLÉPHONE]",
    "EMAIL": "[E-MAIL]",
    "IBAN": "[IBAN]",
    "NUMERO": "[NUMÉRO]",
    "DATE_NAISSANCE": "[DATE DE NAISSANCE]",
}
PRIORITY = {
    "EMAIL": 9,
    "IBAN": 8,
    "DATE_NAISSANCE": 7,
    "TELEPHONE": 6,
    "ADRESSE": 5,
    "NUMERO": 4,
    "NOM": 3,
    "LIEU": 2,
}


@dataclass(frozen=True)
class PiiSpan:
    start: int
    end: int
    label: str


_I = re.IGNORECASE
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", _I)
IBAN = re.compile(r"\b[a-z]{2}\d{2}(?:[ \-]?[a-z0-9]{4}){2,7}(?:[ \-]?[a-z0-9]{1,4})?\b", _I)
PHONE = re.compile(
    r"(?<![\w+\-])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)"
    r"|(?<![\w+\-])(?<!\d )(?:\+|00)\s?[1-9]\d{0,2}(?:[\s.\-]?\d{1,4}){2,6}(?!\d)"
)
NIR = re.compile(
    r"(?<![\w])[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[ab])[\s.]?\d{3}[\s.]?\d{3}"
    r"(?:[\s.]?\d{2})?(?![\w])",
    _I,
)
LONG_NUMBER = re.compile(r"(?<![\w+,.])\d(?:[ .\-/]?\d){6,}(?:\s?[A-Z](?![\w']))?(?![\w])")
REFERENCE = re.compile(
    r"(?:\bn\s?°|\bno\.?|\bnum(?:[ée]ro)?s?|\br[ée]f(?:[ée]rence)?s?|\bdossier|\bdemande"
    r"|\ballocataire|\bcaf|\bpasseport|\btitre de s[ée]jour|\bs[ée]cu(?:rit[ée] sociale)?"
    r"|\bfiscal|\bidentifiant|\bmatricule|\bcarte)"
    r"(?:\s+(?:de|du|d'|la|le|mon|ma|unique|fiscal|allocataire|caf|client|demandeur|locataire"
    r"|usager|adh[ée]rent|contrat|bail|r[ée]gional|d'enregistrement|enregistrement))*\s*[:#]?\s*"
    r"(?P<code>(?=[a-z0-9.\-/]*\d)[a-z0-9][a-z0-9.\-/]*(?: [a-z0-9][a-z0-9.\-/]*){0,5})",
    _I,
)
CODE = re.compile(r"\b[A-Z]{2,8}(?:[-/][A-Z0-9]*\d[A-Z0-9]*){1,5}\b")  # AL-9987-4412
PREFIXED_CODE = re.compile(r"\b[A-Z]{1,5} ?\d+(?:[ /\-]\d+){0,4}\b")  # LOC 004587, V 234 567 891
# Capitals and digits pasted from a card or a form (X4RTBPFW4, DBX6-W-B7H-CXY3), and numbers
# written with a leading zero (004588): identifiers, not amounts.
UPPER_CODE = re.compile(r"\b[A-Z\d]+(?:-[A-Z\d]+)*\b")
ZERO_LED = re.compile(r"(?<![\w,.])0\d{5,}(?![\w])")
# Groups of digits around a code, as printed on a tax notice or a registered letter
# ("23 75A1234567 12", "1A 123 456 7890 1"): kept whole when they hold ten digits or more.
GROUPED_CODE = re.compile(r"\b(?=[A-Z]*\d)[A-Z\d]{1,12}(?: (?=[A-Z]*\d)[A-Z\d]{1,12}){2,5}\b")
# Identifiers mixing letters and digits (V123456789, 18AB12345, 1234567A) or cut by - or /
# (2023/INS/04471, 75-2022-11873): file, permit, passport, claim numbers.
MIXED_CODE = re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{6,}\b", _I)
SPLIT_CODE = re.compile(r"\b[a-z0-9]+(?:[-/][a-z0-9]+){1,5}\b", _I)
YEARS = re.compile(r"(?:19|20)\d\d[-/](?:19|20)?\d\d")
SHORT_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])")
LAW_ARTICLE = re.compile(r"[LRD]?\d{1,4}(?:-\d{1,2}){1,3}")
MONTHS = (
    "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    "|d[ée]cembre|janv|f[ée]v|avr|juil|sept|oct|nov|d[ée]c"
)
DATE = (
    rf"(?:\d{{1,2}}\s?[/.\-]\s?\d{{1,2}}\s?[/.\-]\s?\d{{2,4}}"
    rf"|(?:1er|\d{{1,2}})\s+(?:{MONTHS})\.?\s+\d{{2,4}})"
)
BIRTH = re.compile(
    rf"\b(?:n[ée]e?s?|date de naissance|ddn|naissance|anniversaire)\b\s*(?:le|:|en|c'est|est)?"
    rf"\s*(?:le\s+)?(?P<date>{DATE})",
    _I,
)
# A birth year alone, said of oneself: "je suis née en 1985".
BIRTH_YEAR = re.compile(
    r"\b(?:je suis|suis|j'suis|chui|jsuis)\s+n[ée]e?s?\s+en\s+(?P<date>(?:19|20)\d\d)\b", _I
)
STREET = (
    r"rue|ruelle|avenue|av\.?|boulevard|bd|bld|place|pl\.|all[ée]e|impasse|imp\.|chemin|ch\."
    r"|route|rte|quai|cours|square|sq\.|passage|r[ée]sidence|cit[ée]|lotissement|sentier"
    r"|voie|rond-point|faubourg|fbg|promenade|parvis|esplanade|hameau|lieu-dit|mont[ée]e"
    r"|mail|villa|clos|domaine|traverse|venelle|cour"
)
ADDRESS = re.compile(
    rf"\b\d{{1,4}}\s?(?:bis|ter|b|t)?\s*,?\s+(?:{STREET})\s+(?P<name>[^\n,.;:!?()\[\]]{{2,60}})",
    _I,
)
# A name spelled out letter by letter, as people do on the phone: "j'ai épelé M-B-A-Y-E".
SPELLED = re.compile(r"(?<![\w\-])(?:[^\W\d_]-){3,}[^\W\d_](?![\w\-])")
POSTCODE = re.compile(
    r"(?<![\w\-/])(?:(?:0[1-9]|[1-8]\d|9[0-5])\s?\d{3}|97[1-6]\s?\d{2})\s+(?P<town>[a-zàâäéèêëîïôöùûüç'\-]+"
    r"(?:[ \-](?:(?:sur|sous|en|lès|les|le|la|de|du|des|saint|sainte|st|ste)\b"
    r"|(?-i:[A-ZÀ-Ü])[\w'\-]*))*)",  # a capital continues the town's name, whatever the case
    _I,
)
_UNIT = (
    r"(?:b[âa]t(?:iment)?\.?\s*[a-z0-9]{1,3}|esc(?:alier)?\.?\s*[a-z0-9]{1,3}"
    r"|porte\s+n?°?\s*\d{1,4}|app?t\.?\s*n?°?\s*\d{1,4}|appartement\s+n?°?\s*\d{1,4}"
    r"|chambre\s+n?°?\s*\d{1,4}|lot\s+n?°?\s*\d{1,4}|bp\s*\d{1,5}|bo[iî]te\s+\d{1,4}"
    r"|\d{1,2}\s?(?:e|è|ème|eme|er|ère)\s+[ée]tage)"
)
BUILDING = re.compile(rf"\b{_UNIT}\b(?:\s*,?\s*{_UNIT}\b)*", _I)
FLOOR_ONLY = re.compile(r"\d{1,2}\s?(?:e|è|ème|eme|er|ère)\s+[ée]tage", _I)
STREET_WITHOUT_NUMBER = re.compile(
    r"\b(?:rue|avenue|boulevard|place|all[ée]e|impasse|chemin|quai|cours)\s+"
    r"(?:de la |de l'|du |des |d')?[A-ZÀ-Ü][\w'\-]+(?:\s+[A-ZÀ-Ü][\w'\-]+)*"
)
# Words after five digits that show they are not a postal code ("le ticket 45120 de la mairie").
NOT_TOWNS = frozenset((
    "euros", "eur", "ans", "m2", "personnes", "demandes", "logements", "habitants", "de", "du",
    "des", "par", "pour", "en", "et", "a", "au", "aux", "dans", "avec", "depuis", "qui", "que",
    "je", "on", "il", "elle", "c", "ce", "est", "ou", "mais", "points", "jours", "mois",
))  # fmt: skip
ARRONDISSEMENT = re.compile(r"\b(?:Paris|Marseille|Lyon)\s+\d{1,2}\s?(?:e|è|ème|er)\b")
NAMED_PLACE = re.compile(
    r"\b(?:r[ée]sidence|cit[ée]|quartier|lotissement|hameau|immeuble|tour|station|m[ée]tro|foyer"
    r"|[ée]cole|coll[eè]ge|lyc[ée]e|gare|centre social|maison de quartier|h[ôo]tel|crous)\s+"
    r"(?:(?:des|du|de la|de l'|les|le|la|d')\s*)?"
    r"(?P<name>(?:[A-ZÀ-Ü0-9][\w'\-]*)(?:\s+(?:de|du|des|la|le|l'|d'|[A-ZÀ-Ü0-9][\w'\-]*))*"
    r"|(?<=des )[a-zà-ü][\w'\-]+|(?<=du )[a-zà-ü][\w'\-]+|(?<=les )[a-zà-ü][\w'\-]+)"
)
AFTER_STREET_STOP = {
    "a", "au", "aux", "dans", "et", "pour", "depuis", "chez", "avec", "mais", "car", "donc",
    "ou", "qui", "que", "qu", "quand", "il", "elle", "on", "je", "j", "tu", "nous", "vous",
    "ils", "elles", "mon", "ma", "mes", "son", "sa", "ses", "est", "etait", "c", "ca", "pres",
    "en", "sur", "comme", "pas", "ne", "n", "y", "me", "m", "se", "s", "apres", "avant",
    "leur", "cest", "jai", "puis", "alors", "si", "tout", "tres", "bien",
}  # fmt: skip
TITLES = {
    "monsieur", "madame", "mademoiselle", "m.", "mme", "mme.", "mlle", "mlle.", "mr", "mr.",
    "mrs", "me", "maitre", "dr", "dr.", "docteur", "pr", "professeur", "mm.", "mmes",
}  # fmt: skip
NAMING_VERBS = {"appelle", "appelait", "appele", "appelee", "nomme", "nommee", "prenomme",
                "prenommee", "denomme", "denommee", "surnomme", "surnommee"}  # fmt: skip
RELATIONS = {
    "voisin", "voisine", "fils", "fille", "mari", "femme", "copain", "copine", "ami", "amie",
    "frere", "soeur", "pere", "mere", "collegue", "gardien", "gardienne", "agent", "agente",
    "conseillere", "conseiller", "proprietaire", "proprio", "bailleur", "dame", "monsieur",
    "cousin", "cousine", "neveu", "niece", "oncle", "tante", "compagnon", "compagne", "ex",
    "assistante", "assistant", "belle-mere", "beau-pere", "gerant", "gerante", "employe",
    "employee", "petit-fils", "petite-fille", "enfant", "bebe", "garcon", "grand-mere",
    "grand-pere", "temoin", "avocat", "avocate", "responsable", "directeur", "directrice",
    "educateur", "educatrice", "referent", "referente", "interlocuteur", "interlocutrice",
}  # fmt: skip
NOT_NAMES = {
    "bonjour", "bonsoir", "merci", "salut", "coucou", "madame", "monsieur", "docteur", "caf",
    "apl", "rsa", "hlm", "aah", "mdph", "dalo", "caleol", "visale", "action", "logement",
    "pole", "emploi", "france", "travail", "defenseur", "droits", "prefet", "maire", "mairie",
    "dieu", "allah", "inchallah", "svp", "stp", "ok", "mdr", "lol", "bref", "voila", "ben",
    "bah", "bon", "oui", "non", "ah", "oh", "eh", "hein", "mme", "mr", "mlle", "m.", "merde",
    "putain", "wesh", "frere", "cher", "chere", "urgent", "aide", "help", "vraiment",
}  # fmt: skip
EXTRA_ALLOWED_PLACES = {
    "afrique", "europe", "asie", "amerique", "oceanie", "maghreb", "antilles", "outre-mer",
    "dom-tom", "caraibes", "balkans", "moyen-orient", "proche-orient", "sahel", "kabylie",
    "bretagne", "normandie", "alsace", "corse", "provence", "occitanie", "ile-de-france",
    "france", "metropole", "hexagone", "afrique du nord", "afrique noire", "afrique de l'ouest",
    "guadeloupe", "martinique", "guyane", "la reunion", "reunion", "mayotte", "union europeenne",
}  # fmt: skip


@cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    base = resources.files("nlp.data.names")

    def read(name: str) -> frozenset[str]:
        lines = base.joinpath(name).read_text(encoding="utf-8").splitlines()
        return frozenset(fold(n.strip()) for n in lines if n.strip())

    return read("first_names.txt"), read("ambiguous_first_names.txt")


@cache
def _allowed_places() -> frozenset[str]:
    """Countries, continents, big regions: needed to understand a story, not identifying."""
    from babel import Locale

    names = {fold(n) for lang in ("fr", "en") for n in Locale(lang).territories.values()}
    return frozenset(names | EXTRA_ALLOWED_PLACES)


def _is_name_part(token: Token, after_title: bool = False) -> bool:
    """Could this token continue a person's name? After a title or a first name, a lowercase
    word may be a surname ("mme vercoutre", "mamadou keita"): redacting too much is safer."""
    if not token.is_alpha and "-" not in token.text:
        return False
    word = token.norm_
    if word in NOT_NAMES or token.is_stop or word in AFTER_STREET_STOP or len(token.text) < 2:
        return False
    if token.text[:1].isupper() or token.pos_ == "PROPN":
        return True
    return after_title and word not in RELATIONS and token.pos_ in ("NOUN", "ADJ", "X", "VERB")


class Redactor:
    def __init__(self, nlp: Language, territory_names: tuple[str, ...] = ()) -> None:
        self.first, self.ambiguous = _name_lists()
        # A name starts at, or right after, one of these words: the others are skipped without
        # building a spaCy Token for them.
        self.starters = frozenset(TITLES | NAMING_VERBS | RELATIONS | self.first | self.ambiguous)
        self.places = _allowed_places() | {fold(t) for t in territory_names}
        self.towns = Towns(nlp, self.places)

    def spans(self, doc: Doc, text: str) -> list[PiiSpan]:
        """`text` is doc.text, computed once: spaCy rebuilds it from the tokens on each call."""
        towns = [PiiSpan(start, end, "LIEU") for start, end in self.towns.spans(doc)]
        people = [
            span  # "st denis", "saint-ouen": a town holding a first name is a town
            for span in self._names(doc) + self._entities(doc, text)
            if not any(t.start <= span.start and span.end <= t.end for t in towns)
            or span.label != "NOM"
        ]
        return _resolve(self._patterns(text) + people + towns, text)

    def redact(self, doc: Doc, text: str | None = None) -> tuple[str, list[PiiSpan]]:
        text = doc.text if text is None else text
        spans = self.spans(doc, text)
        out, last = [], 0
        for span in spans:
            out.append(text[last : span.start])
            out.append(PLACEHOLDERS[span.label])
            last = span.end
        out.append(text[last:])
        return "".join(out), spans

    def _patterns(self, text: str) -> list[PiiSpan]:
        found: list[PiiSpan] = []
        add = found.append
        for m in EMAIL.finditer(text) if "@" in text else ():
            add(PiiSpan(m.start(), m.end(), "EMAIL"))
        if any(map(str.isdigit, text)):  # most patterns need a digit: skip them without
            found += self._numbered(text)
        for m in BUILDING.finditer(text):
            if not FLOOR_ONLY.fullmatch(m.group()):  # "au 2e étage" alone says little
                add(PiiSpan(m.start(), m.end(), "ADRESSE"))
        for m in NAMED_PLACE.finditer(text):
            name = m.group("name")
            if name and fold(name) not in self.places and fold(name) not in ("principale",):
                add(PiiSpan(m.start(), m.end(), "LIEU"))  # the head word too: "cité des 4000"
        for m in STREET_WITHOUT_NUMBER.finditer(text):
            add(PiiSpan(m.start(), m.end(), "ADRESSE"))
        for m in ARRONDISSEMENT.finditer(text):
            add(PiiSpan(m.start(), m.end(), "LIEU"))
        for m in SPELLED.finditer(text) if "-" in text else ():
            add(PiiSpan(m.start(), m.end(), "NOM"))
        return found

    def _numbered(self, text: str) -> list[PiiSpan]:
        """Phones, IBANs, identifiers, dates of birth, addresses: what has digits in it."""
        found: list[PiiSpan] = []
        add = found.append
        for m in IBAN.finditer(text):
            if sum(ch.isdigit() for ch in m.group()) >= 8:
                add(PiiSpan(m.start(), m.end(), "IBAN"))
        for m in PHONE.finditer(text):
            digits = sum(ch.isdigit() for ch in m.group())
            if 8 <= digits <= 15 and not _is_money(text, m.end()):
                add(PiiSpan(m.start(), m.end(), "TELEPHONE"))
        for pattern in (BIRTH, BIRTH_YEAR):
            for m in pattern.finditer(text):
                add(PiiSpan(m.start("date"), m.end("date"), "DATE_NAISSANCE"))
        for m in NIR.finditer(text):
            add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for m in REFERENCE.finditer(text):
            start, end = m.start("code"), _trim_code(text, m.start("code"), m.end("code"))
            if sum(ch.isdigit() for ch in text[start:end]) >= 4 and not _is_money(text, end):
                add(PiiSpan(start, end, "NUMERO"))
        for m in CODE.finditer(text):
            if sum(ch.isdigit() for ch in m.group()) >= 4 and not _is_money(text, m.end()):
                add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for m in PREFIXED_CODE.finditer(text):
            code = m.group()
            if (
                sum(ch.isdigit() for ch in code) >= 5
                and not _is_money(text, m.end())
                and not _is_date(code)
            ):
                add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for m in UPPER_CODE.finditer(text):
            code = m.group().replace("-", "")
            digits = sum(ch.isdigit() for ch in code)
            if len(code) >= 8 and 2 <= digits < len(code):
                add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for m in ZERO_LED.finditer(text):
            add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for m in GROUPED_CODE.finditer(text):
            code = m.group()
            if (
                sum(ch.isdigit() for ch in code) >= 10
                and any(ch.isalpha() for ch in code)
                and not _is_money(text, m.end())
            ):
                add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for pattern in (MIXED_CODE, SPLIT_CODE):
            for m in pattern.finditer(text):
                code = m.group()
                if sum(ch.isdigit() for ch in code) >= 4 and not _is_date(code):
                    add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for m in LONG_NUMBER.finditer(text):
            if not _is_money(text, m.end()) and not _is_date(m.group()):
                add(PiiSpan(m.start(), m.end(), "NUMERO"))
        for m in ADDRESS.finditer(text):
            end = m.start("name") + _street_name_length(m.group("name"))
            if end > m.start("name"):
                post = POSTCODE.match(text, _skip(text, end, " ,")) if end < len(text) else None
                add(PiiSpan(m.start(), post.end() if post else end, "ADRESSE"))
        for m in POSTCODE.finditer(text):
            inside_number = m.start() >= 2 and text[m.start() - 2].isdigit()
            if (
                not inside_number
                and not _is_money(text, m.start("town") - 1)
                and (fold(m.group("town")).split(" ")[0] not in NOT_TOWNS)
            ):
                add(PiiSpan(m.start(), m.end(), "ADRESSE"))
        return found

    def _names(self, doc: Doc) -> list[PiiSpan]:
        found: list[PiiSpan] = []
        norms, starters = token_strings(doc)[1], self.starters
        n, i = len(doc), 0  # i: the first token not yet read as part of a name
        for at in [k for k, word in enumerate(norms) if word in starters]:  # few of them
            start = self._name_start(doc, at) if at >= i else None
            if start is None:
                continue
            end = start + 1
            while (
                end < n
                and end - start < 4
                and (_is_name_part(doc[end], after_title=True) or doc[end].norm_ in self.first)
            ):
                end += 1
            found.append(PiiSpan(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "NOM"))
            i = end
        return found

    def _name_start(self, doc: Doc, i: int) -> int | None:
        """Where a person's name starts, at token i (a listed first name) or right after it (a
        title or a naming word, after which a lowercase word may be the name)."""
        token, word = doc[i], doc[i].norm_
        following = doc[i + 1] if i + 1 < len(doc) else None
        titled = word in TITLES and (word not in ("me", "m.") or token.text[:1].isupper())
        announced = word in NAMING_VERBS or (
            word in RELATIONS and following is not None and following.norm_ in self.first
        )
        if titled or announced:
            if following is not None and _is_name_part(following, after_title=True):
                return i + 1
            return None
        capital = token.text[:1].isupper()
        sentence_start = i == 0 or doc[i - 1].norm_ in (".", "!", "?", ":", "«", '"', "\n")
        listed = word in self.first or (
            word in self.ambiguous and capital and not sentence_start and not token.is_stop
        )
        alpha = token.text.replace("-", "").isalpha()
        if alpha and listed and word not in NOT_NAMES and not token.is_stop:
            return i
        return None

    def _entities(self, doc: Doc, text: str) -> list[PiiSpan]:
        found: list[PiiSpan] = []
        for ent in doc.ents:
            words = [t for t in ent if t.norm_ not in TITLES]
            if not words:
                continue
            start, end = words[0].idx, ent.end_char
            folded = fold(text[start:end])
            if not any(t.pos_ == "PROPN" for t in words):
                continue  # "Agence", "Maliens", "IBAN": capitalised words, not names
            if ent.label_ == "PER":
                if all(t.norm_ in NOT_NAMES or t.is_stop or not t.is_alpha for t in words):
                    continue
                found.append(PiiSpan(start, end, "NOM"))
            elif ent.label_ == "LOC":
                if folded in self.places or all(t.is_stop for t in words):
                    continue
                if folded.split()[0] in ("rue", "avenue", "boulevard", "place"):
                    continue  # a street without its number: the address layer decides
                found.append(PiiSpan(start, end, "LIEU"))
        return found


def _is_money(text: str, end: int) -> bool:
    tail = fold(text[end : end + 8]).lstrip()
    return tail.startswith(("€", "eur", "e ", "euros", "m2", "m²", "ans", "%", "k€", "balles"))


def _is_date(code: str) -> bool:
    """An event's date, a span of years or an article of law is not an identifier: 12/03/2024,
    21/06, 2022-2023, L441-2-3, 225-1."""
    code = code.strip()
    return bool(
        re.fullmatch(DATE, code, _I)
        or YEARS.fullmatch(code)
        or SHORT_DATE.fullmatch(code)
        or LAW_ARTICLE.fullmatch(code)
    )


def _skip(text: str, i: int, chars: str) -> int:
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _trim_code(text: str, start: int, end: int) -> int:
    """A reference ends at its last chunk holding a digit ("n° 12345 depuis" -> "12345")."""
    chunk = text[start:end]
    parts = chunk.split(" ")
    while len(parts) > 1 and not any(ch.isdigit() for ch in parts[-1]):
        parts.pop()
    return start + len(" ".join(parts))


def _street_name_length(name: str) -> int:
    """How much of what follows a street type is the street's name."""
    length = 0
    for word in re.finditer(r"\S+", name):
        folded = fold(word.group()).strip("'")
        if folded in AFTER_STREET_STOP or (length and folded.isdigit() and len(folded) != 5):
            break
        length = word.end()
    return length


def _resolve(spans: list[PiiSpan], text: str) -> list[PiiSpan]:
    """Keep the most specific span where layers disagree, unite spans of one label that
    overlap, and join the pieces of one address ("Bât. C, 5e étage, 12 rue X, 75020 Paris")."""
    kept: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (-PRIORITY[s.label], -(s.end - s.start), s.start)):
        if span.end <= span.start:
            continue
        clash = [k for k in kept if span.start < k.end and k.start < span.end]
        if not clash:
            kept.append(span)
        elif all(k.label == span.label for k in clash):
            for k in clash:
                kept.remove(k)
            start = min(span.start, *(k.start for k in clash))
            kept.append(PiiSpan(start, max(span.end, *(k.end for k in clash)), span.label))
    kept.sort(key=lambda s: s.start)
    merged: list[PiiSpan] = []
    for span in kept:
        previous = merged[-1] if merged else None
        gap = text[previous.end : span.start].strip() if previous else "x"
        labels = {previous.label, span.label} if previous else set()
        if previous and len(labels) == 1 and (not gap or (gap == "," and labels == {"ADRESSE"})):
            merged[-1] = PiiSpan(previous.start, span.end, span.label)
        elif previous and labels == {"ADRESSE", "LIEU"} and gap in ("", ","):
            merged[-1] = PiiSpan(previous.start, span.end, "ADRESSE")
        else:
            merged.append(span)
    return merged
