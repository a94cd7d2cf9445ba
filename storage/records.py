"""Plain records that cross the storage boundary: what callers give, and what they get back.

Clear text lives only in these objects, in memory; the repositories encrypt or seal it on the way
to the disk. Codes are the stable ASCII codes of DESIGN.md's vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GroundChoice:
    code: str
    suggested: bool  # the NLP proposed it
    confirmed: bool  # the person kept it or added it


@dataclass(frozen=True)
class Attachment:
    kind: str  # photo, document
    filename: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class IncidentIn:
    step: str
    narrative: str = ""  # sealed to the controller; never readable by the server
    happened: str | None = None  # YYYY-MM, or None when not remembered
    actor: str | None = None
    organisation_id: str | None = None
    evidence: str | None = None  # dit, implicite, ressenti
    excerpt: str | None = None  # redacted text, kept only with consent
    grounds: tuple[GroundChoice, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class JourneyIn:
    sector: str
    lang: str
    incidents: tuple[IncidentIn, ...]
    territory_id: str | None = None
    relation: str | None = None  # moi, proche, temoin
    source: str = "resident"
    relayed_by: str | None = None
    relay_consent: bool | None = None
    household: str | None = None
    qpv: str | None = None
    reported_elsewhere: tuple[str, ...] = ()
    contact_request: bool = False
    contact: str | None = None
    excerpt_consent: bool = False


@dataclass(frozen=True)
class IncidentView:
    id: str
    position: int
    step: str
    happened: str | None
    actor: str | None
    organisation: str | None
    evidence: str | None
    excerpt: str | None
    grounds: tuple[GroundChoice, ...]
    sealed: bool  # a narrative is kept, readable only offline
    attachments: int


@dataclass(frozen=True)
class JourneyView:
    id: str
    territory_id: str | None
    sector: str
    relation: str | None
    source: str
    lang: str
    household: str | None
    qpv: str | None
    reported_elsewhere: tuple[str, ...]
    contact_request: bool
    contact: str | None
    excerpt_consent: bool
    created_on: str
    incidents: tuple[IncidentView, ...] = field(default=())


@dataclass(frozen=True)
class Territory:
    id: str
    code: str
    name_fr: str
    name_en: str
    active: bool

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


@dataclass(frozen=True)
class Organisation:
    id: str
    territory_id: str
    kind: str
    name: str
    contact: str | None


@dataclass(frozen=True)
class Participant:
    id: str
    lang: str
    active: bool
    roles: tuple[tuple[str, str], ...] = ()  # (territory_id, role)

    def territories(self, role: str) -> tuple[str, ...]:
        return tuple(t for t, r in self.roles if r == role)
