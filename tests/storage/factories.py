"""Small builders of journeys for storage tests."""

from __future__ import annotations

from storage import Attachment, GroundChoice, IncidentIn, JourneyIn


def incident(narrative: str = "On m'a dit que c'était déjà loué.", **kw: object) -> IncidentIn:
    fields: dict[str, object] = {
        "step": "contact",
        "narrative": narrative,
        "happened": "2026-10",
        "actor": "agence",
        "evidence": "implicite",
        "excerpt": "On m'a dit que c'était déjà loué.",
        "grounds": (GroundChoice("origine", True, True), GroundChoice("patronyme", False, True)),
    }
    fields.update(kw)
    return IncidentIn(**fields)  # type: ignore[arg-type]


def journey(*incidents: IncidentIn, **kw: object) -> JourneyIn:
    fields: dict[str, object] = {
        "sector": "prive",
        "lang": "fr",
        "incidents": incidents or (incident(),),
        "relation": "moi",
        "excerpt_consent": True,
        "contact_request": True,
        "contact": "par message ici",
    }
    fields.update(kw)
    return JourneyIn(**fields)  # type: ignore[arg-type]


def attachment(data: bytes = b"%PDF-1.4 lettre de refus") -> Attachment:
    return Attachment("document", "refus.pdf", "application/pdf", data)
