"""The stable codes of DESIGN.md's vocabulary, as the flows offer them. Labels live in the
catalogues (flows/catalog/*.toml) and may be reworded by a territory."""

from __future__ import annotations

from nlp.codes import GROUNDS

SECTORS = ("social", "prive", "inconnu")
STEPS_SOCIAL = (
    "information",
    "demande",
    "renouvellement",
    "instruction",
    "cotation",
    "designation",
    "visite",
    "commission",
    "notification",
    "proposition",
    "recours",
    "mutation",
)
STEPS_PRIVE = ("annonce", "contact", "visite", "dossier", "garant", "selection", "bail")
STEPS_AFTER = ("relations_bailleur", "voisinage", "fin_bail")
STEPS = tuple(dict.fromkeys(STEPS_SOCIAL + STEPS_PRIVE + STEPS_AFTER + ("autre",)))


def steps_for(sector: str) -> tuple[str, ...]:
    """The steps to offer for a sector: its own, then life after moving in, then "other"."""
    own = {"social": STEPS_SOCIAL, "prive": STEPS_PRIVE}.get(sector)
    if own is None:  # sector unknown: the most common steps of both
        own = ("information", "demande", "commission", "annonce", "contact", "visite", "dossier")
    return (*own, *STEPS_AFTER, "autre")


RELATIONS = ("moi", "proche", "temoin")
ACTORS_SOCIAL = ("guichet", "bailleur_social", "reservataire", "commission", "gardien")
ACTORS_PRIVE = ("agence", "particulier", "plateforme", "gardien", "voisin")
ACTORS = tuple(dict.fromkeys(ACTORS_SOCIAL + ACTORS_PRIVE + ("autre",)))
# Which organisations of a territory may be named for each kind of actor.
ORGANISATION_KINDS = {
    "guichet": ("guichet", "bailleur", "reservataire"),
    "bailleur_social": ("bailleur",),
    "reservataire": ("reservataire",),
    "commission": ("bailleur",),
    "agence": ("agence",),
    "gardien": ("bailleur", "agence"),
}


def actors_for(sector: str) -> tuple[str, ...]:
    own = {"social": ACTORS_SOCIAL, "prive": ACTORS_PRIVE}.get(sector, ACTORS[:-1])
    return (*own, "autre")


EVIDENCE = ("dit", "implicite", "ressenti")
HOUSEHOLDS = ("seul", "couple", "famille", "monoparentale", "colocation", "autre")
QPV = ("oui", "non", "ne_sait_pas")
REPORTED = ("defenseur", "association", "police", "bailleur", "personne")
UNSURE = "ne_sait_pas"

__all__ = [
    "ACTORS",
    "EVIDENCE",
    "GROUNDS",
    "HOUSEHOLDS",
    "QPV",
    "RELATIONS",
    "REPORTED",
    "SECTORS",
    "STEPS",
    "UNSURE",
]
