"""Where to turn, and what to keep, fitted to what was told (step x ground x how it was felt).

Returns catalogue keys: `orient.*` (who can help, which recourse, which deadline) and `tip.*`
(evidence to keep). The words are in the catalogues; the facts come from domain-fr.md.
"""

from __future__ import annotations

from typing import Any

REGISTRATION = {"information", "demande", "renouvellement", "instruction"}
DECISION = {"cotation", "designation", "commission", "notification", "proposition", "mutation"}
PRIVATE_SEARCH = {"annonce", "contact", "visite", "selection", "bail"}
AFTER = {"relations_bailleur", "voisinage"}


def orientation(told: list[dict[str, Any]], sector: str | None) -> dict[str, list[str]]:
    steps = {i.get("step") for i in told}
    grounds = {g for i in told for g in i.get("grounds") or ()}
    said = any(i.get("evidence") == "dit" for i in told)
    orient = ["ddd"]
    tips = ["keep_all", "write_down"]
    if steps & REGISTRATION:
        orient.append("registration")
        tips.append("social_papers")
    if steps & DECISION:
        orient.append("written_reasons")
        tips += ["social_papers", "ask_in_writing"]
    if "recours" in steps:
        orient.append("dalo")
    if steps & PRIVATE_SEARCH:
        orient.append("complaint")
        tips.append("listing_online")
    if "dossier" in steps:
        orient.append("documents")
        tips.append("documents")
    if "garant" in steps:
        orient.append("guarantor")
    if "domiciliation_bancaire" in grounds:
        orient.append("bank")
    if steps & AFTER:
        orient.append("harassment")
    if "fin_bail" in steps:
        orient.append("end_of_lease")
    if "sexe" in grounds:
        orient.append("sexual_harassment")
    if said:
        tips.append("witnesses")
    if sector == "prive" or steps & (PRIVATE_SEARCH | {"dossier", "garant", "fin_bail"}):
        orient.append("adil")
    orient += ["associations", "deadlines"]
    return {"orient": list(dict.fromkeys(orient)), "tips": list(dict.fromkeys(tips))}
