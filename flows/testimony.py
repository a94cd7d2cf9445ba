"""The resident's testimony: consent, one housing journey, one or several incidents told step by
step, the grounds confirmed, a few optional questions, review, send, receipt and orientation.

Every question can be skipped or gone back on; nothing is stored before "Envoyer" except the
encrypted draft. The receipt code is drawn at consent and kept in the draft, so a testimony sent
twice (Telegram delivering an update again, a restart in between) is stored once.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from flows import vocabulary as v
from flows.engine import SKIP, Choice, Event, Flow, Reply, Session
from flows.i18n import join, month_name, month_year
from flows.i18n import text as t
from flows.orientation import orientation
from storage import Attachment, GroundChoice, IncidentIn, JourneyIn, new_code

MAX_STORY = 20_000  # characters, over several messages
MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_CONTACT = 300
YEARS_BACK = 5  # offenses are prosecuted for 6 years, civil claims 5: recent years matter


def new_incident() -> dict[str, Any]:
    return {
        "key": secrets.token_hex(8),  # makes adding this incident idempotent
        "step": None,
        "when": None,
        "actor": None,
        "org": None,
        "org_name": None,
        "story": "",
        "files": [],
        "suggested": [],
        "triggers": {},
        "grounds": [],
        "analysed": False,
        "language": None,
        "redacted": None,
        "evidence": None,
    }


def _label(kind: str, code: str | None, lang: str) -> str:
    return t(f"{kind}.{code}", lang) if code else t("review.none", lang)


class Testimony(Flow):
    name = "testimony"
    start = "consent"

    def accepts_text(self, node: str) -> bool:
        return node in ("story", "contact_how")

    def accepts_files(self, node: str) -> bool:
        return node == "story"

    def summary(self, s: Session) -> str:
        d, lang = s.data, s.lang
        cur = d.get("cur") or {}
        if cur.get("step"):
            return t("resume.where_step", lang, step=t(f"step.{cur['step']}", lang))
        if d.get("sector"):
            return t("resume.where_sector", lang, sector=t(f"sector.{d['sector']}", lang))
        return t("resume.where_start", lang)

    def next(self, s: Session, node: str, *, remember: bool = True) -> None:
        """Go on to `node`, or back to the review when the person was correcting an answer."""
        if s.data.get("editing"):
            s.data["editing"] = False
            s.goto("review", remember=remember)
        else:
            s.goto(node, remember=remember)

    # -- consent ----------------------------------------------------------------------------
    async def ask_consent(self, s: Session) -> None:
        s.ask(
            "consent.text",
            [
                Choice("yes", "consent.yes"),
                Choice("more", "consent.more"),
                Choice("no", "consent.no"),
            ],
            back=False,
        )

    async def on_consent(self, s: Session, e: Event) -> None:
        if e.value == "yes":
            s.data.update(receipt=new_code(), saved=0, cur=new_incident())
            s.goto("relation")
        elif e.value == "more":
            s.say("consent.details")
            s.goto("consent")
        else:
            s.say("consent.declined")
            s.state.update(flow=None, node=None, data={})

    # -- the journey ------------------------------------------------------------------------
    async def ask_relation(self, s: Session) -> None:
        s.ask("relation.ask", [Choice(r, f"relation.{r}") for r in v.RELATIONS], skip=True)

    async def on_relation(self, s: Session, e: Event) -> None:
        s.data["relation"] = None if e.value == SKIP else e.value
        self.next(s, "territory")

    async def ask_territory(self, s: Session) -> None:
        territories = await s.services.territories()
        if not territories:
            s.data["territory"] = None
            self.next(s, "sector", remember=False)
            return
        choices = [Choice(f"t:{x.id}", x.name(s.lang), literal=True) for x in territories]
        s.ask("territory.ask", [*choices, Choice("other", "territory.other")], skip=True)

    async def on_territory(self, s: Session, e: Event) -> None:
        territory = e.value.removeprefix("t:") if e.value.startswith("t:") else None
        s.data["territory"] = territory
        s.data["territory_name"] = None
        if territory:
            found = [x for x in await s.services.territories() if x.id == territory]
            s.data["territory_name"] = found[0].name(s.lang) if found else None
        self.next(s, "sector")

    async def ask_sector(self, s: Session) -> None:
        s.ask("sector.ask", [Choice(x, f"sector.{x}") for x in v.SECTORS])

    async def on_sector(self, s: Session, e: Event) -> None:
        s.data["sector"] = e.value
        self.next(s, "step")

    # -- one incident -----------------------------------------------------------------------
    async def ask_step(self, s: Session) -> None:
        steps = v.steps_for(s.data.get("sector") or "inconnu")
        number = s.data["saved"] + 1
        key = "step.ask" if number == 1 else "step.ask_next"
        s.ask(key, [Choice(x, f"step.{x}") for x in steps], columns=2, number=number)

    async def on_step(self, s: Session, e: Event) -> None:
        s.data["cur"]["step"] = e.value
        self.next(s, "when_year")

    async def ask_when_year(self, s: Session) -> None:
        this_year = s.services.now().year
        years = [
            Choice(str(y), str(y), literal=True)
            for y in range(this_year, this_year - YEARS_BACK, -1)
        ]
        s.ask("when.ask_year", [*years, Choice("unknown", "when.unknown")], columns=3)

    async def on_when_year(self, s: Session, e: Event) -> None:
        if e.value == "unknown":
            s.data["cur"]["when"] = None
            self.next(s, "actor")
        else:
            s.data["cur"]["when"] = e.value
            s.goto("when_month")

    async def ask_when_month(self, s: Session) -> None:
        now = s.services.now()
        year = int(s.data["cur"]["when"][:4])
        last = now.month if year == now.year else 12
        months = [
            Choice(f"{m:02d}", month_name(m, s.lang), literal=True) for m in range(1, last + 1)
        ]
        s.ask(
            "when.ask_month",
            [*months, Choice("unknown", "when.unknown_month")],
            columns=3,
            year=year,
        )

    async def on_when_month(self, s: Session, e: Event) -> None:
        year = s.data["cur"]["when"][:4]
        s.data["cur"]["when"] = year if e.value == "unknown" else f"{year}-{e.value}"
        self.next(s, "actor")

    async def ask_actor(self, s: Session) -> None:
        actors = v.actors_for(s.data.get("sector") or "inconnu")
        s.ask("actor.ask", [Choice(x, f"actor.{x}") for x in actors], columns=2, skip=True)

    async def on_actor(self, s: Session, e: Event) -> None:
        cur = s.data["cur"]
        cur["actor"] = None if e.value == SKIP else e.value
        cur["org"] = cur["org_name"] = None
        self.next(s, "organisation")

    async def ask_organisation(self, s: Session) -> None:
        kinds = v.ORGANISATION_KINDS.get(s.data["cur"]["actor"] or "")
        territory = s.data.get("territory")
        found = await s.services.organisations(territory, kinds) if kinds and territory else []
        if not found:
            self.next(s, "story", remember=False)
            return
        s.data["orgs"] = {o.id: o.name for o in found}
        choices = [Choice(f"o:{o.id}", o.name, literal=True) for o in found]
        s.ask("organisation.ask", [*choices, Choice("none", "organisation.none")], skip=True)

    async def on_organisation(self, s: Session, e: Event) -> None:
        cur = s.data["cur"]
        org = e.value.removeprefix("o:") if e.value.startswith("o:") else None
        cur["org"], cur["org_name"] = org, (s.data.get("orgs") or {}).get(org)
        self.next(s, "story")

    async def ask_story(self, s: Session) -> None:
        cur = s.data["cur"]
        if cur["story"] or cur["files"]:
            s.ask(
                "story.more",
                [Choice("done", "story.done"), Choice("clear", "story.clear")],
                length=len(cur["story"]),
                files=len(cur["files"]),
            )
        else:
            s.ask("story.ask")

    async def on_story(self, s: Session, e: Event) -> None:
        cur = s.data["cur"]
        if e.kind == "text":
            room = MAX_STORY - len(cur["story"])
            if room <= 0:
                s.say("story.full", limit=MAX_STORY)
            else:
                cur["story"] = (cur["story"] + "\n" + e.value).strip()[:MAX_STORY]
                cur["analysed"] = False
                if len(e.value) > room:
                    s.say("story.cut", limit=MAX_STORY)
            s.goto("story")
        elif e.kind == "media":
            self.keep_file(s, e)
            s.goto("story")
        elif e.value == "clear":
            cur.update(story="", files=[], analysed=False)
            s.say("story.cleared")
            s.goto("story")
        elif not cur["story"]:
            s.say("story.empty")
            s.goto("story")
        else:
            await self.analyse(s)
            self.next(s, "grounds")

    def keep_file(self, s: Session, e: Event) -> None:
        cur = s.data["cur"]
        if len(cur["files"]) >= MAX_FILES:
            s.say("story.file_too_many", limit=MAX_FILES)
        elif len(e.data) > MAX_FILE_BYTES or not e.data:
            s.say("story.file_too_big", limit=MAX_FILE_BYTES // (1024 * 1024))
        else:
            cur["files"].append(
                {
                    "kind": e.value,
                    "filename": (e.filename or f"{e.value}.bin")[:100],
                    "mime": e.mime[:100] or "application/octet-stream",
                    "data": base64.b64encode(e.data).decode(),
                }
            )
            s.say("story.file_kept")

    async def analyse(self, s: Session) -> None:
        cur = s.data["cur"]
        if cur["analysed"]:
            return
        analysis = await s.services.analyse(cur["story"])
        cur["analysed"] = True
        if analysis is None:
            cur.update(suggested=[], triggers={}, redacted=None, language=None)
            return
        codes = [h.code for h in analysis.grounds]
        cur.update(
            suggested=codes,
            triggers={h.code: [x.text for x in h.triggers][:3] for h in analysis.grounds},
            grounds=codes,
            redacted=analysis.redacted,
            language=analysis.language,
        )

    # -- grounds and how it was felt ----------------------------------------------------------
    async def ask_grounds(self, s: Session) -> None:
        cur, lang = s.data["cur"], s.lang
        shown = list(cur["suggested"])
        if cur.get("all_grounds") or not shown:
            shown += [g for g in v.GROUNDS if g not in shown]
        choices = [Choice(f"g:{g}", f"ground.{g}", selected=g in cur["grounds"]) for g in shown]
        choices.append(
            Choice(f"g:{v.UNSURE}", "ground.ne_sait_pas", selected=v.UNSURE in cur["grounds"])
        )
        if not cur.get("all_grounds") and cur["suggested"]:
            choices.append(Choice("all", "grounds.show_all"))
        choices.append(Choice("done", "grounds.done"))
        if cur["suggested"]:
            lines = join(
                "\n",
                (
                    t(
                        "grounds.line",
                        lang,
                        ground=t(f"ground.{g}", lang),
                        words=", ".join(cur["triggers"].get(g, [])),
                    )
                    for g in cur["suggested"]
                ),
            )
            s.ask("grounds.suggested", choices, columns=2, replace=True, lines=lines)
        elif cur.get("language") not in (None, "fr"):
            s.ask("grounds.other_language", choices, columns=2, replace=True)
        elif cur["analysed"] and cur.get("redacted") is None:
            s.ask("grounds.unavailable", choices, columns=2, replace=True)
        else:
            s.ask("grounds.none_found", choices, columns=2, replace=True)

    async def on_grounds(self, s: Session, e: Event) -> None:
        cur = s.data["cur"]
        if e.value.startswith("g:"):
            code = e.value[2:]
            if code in cur["grounds"]:
                cur["grounds"].remove(code)
            else:
                cur["grounds"].append(code)
                if code == v.UNSURE:
                    cur["grounds"] = [v.UNSURE]
                elif v.UNSURE in cur["grounds"]:
                    cur["grounds"].remove(v.UNSURE)
            s.goto("grounds")
        elif e.value == "all":
            cur["all_grounds"] = True
            s.goto("grounds")
        else:
            cur["grounds"] = cur["grounds"] or [v.UNSURE]
            self.next(s, "evidence")

    async def ask_evidence(self, s: Session) -> None:
        s.ask("evidence.ask", [Choice(x, f"evidence.{x}") for x in v.EVIDENCE], skip=True)

    async def on_evidence(self, s: Session, e: Event) -> None:
        s.data["cur"]["evidence"] = None if e.value == SKIP else e.value
        first_time = s.data["saved"] == 0 and not s.data.get("asked")
        self.next(s, "household" if first_time else "review")

    # -- optional questions, once per journey ----------------------------------------------------
    async def ask_household(self, s: Session) -> None:
        s.data["asked"] = True
        s.ask(
            "household.ask",
            [Choice(x, f"household.{x}") for x in v.HOUSEHOLDS],
            columns=2,
            skip=True,
        )

    async def on_household(self, s: Session, e: Event) -> None:
        s.data["household"] = None if e.value == SKIP else e.value
        self.next(s, "qpv")

    async def ask_qpv(self, s: Session) -> None:
        s.ask("qpv.ask", [Choice(x, f"qpv.{x}") for x in v.QPV], skip=True)

    async def on_qpv(self, s: Session, e: Event) -> None:
        s.data["qpv"] = None if e.value == SKIP else e.value
        self.next(s, "reported")

    async def ask_reported(self, s: Session) -> None:
        chosen = s.data.setdefault("reported", [])
        choices = [Choice(f"r:{x}", f"reported.{x}", selected=x in chosen) for x in v.REPORTED]
        s.ask("reported.ask", [*choices, Choice("done", "reported.done")], replace=True, skip=True)

    async def on_reported(self, s: Session, e: Event) -> None:
        chosen = s.data.setdefault("reported", [])
        if e.value.startswith("r:"):
            code = e.value[2:]
            if code in chosen:
                chosen.remove(code)
            elif code == "personne":
                chosen[:] = ["personne"]
            else:
                chosen[:] = [c for c in chosen if c != "personne"] + [code]
            s.goto("reported")
            return
        if e.value == SKIP:
            chosen.clear()
        self.next(s, "contact")

    async def ask_contact(self, s: Session) -> None:
        s.ask("contact.ask", [Choice("yes", "contact.yes"), Choice("no", "contact.no")], skip=True)

    async def on_contact(self, s: Session, e: Event) -> None:
        if e.value == "yes":
            s.data["contact"] = True
            s.goto("contact_how")
        else:
            s.data.update(contact=False, contact_how=None)
            self.next(s, "excerpt")

    async def ask_contact_how(self, s: Session) -> None:
        s.ask("contact.how", [Choice("cancel", "contact.changed_mind")])

    async def on_contact_how(self, s: Session, e: Event) -> None:
        if e.kind == "text":
            if len(e.value) > MAX_CONTACT:
                s.say("contact.too_long", limit=MAX_CONTACT)
                s.goto("contact_how")
                return
            s.data["contact_how"] = e.value
            s.say("contact.kept")
        else:
            s.data.update(contact=False, contact_how=None)
        self.next(s, "excerpt")

    async def ask_excerpt(self, s: Session) -> None:
        excerpt = self.excerpt(s)
        if not excerpt:
            s.data["excerpt_ok"] = False
            self.next(s, "review", remember=False)
            return
        s.ask(
            "excerpt.ask",
            [Choice("yes", "excerpt.yes"), Choice("no", "excerpt.no")],
            excerpt=excerpt[:1500],
        )

    async def on_excerpt(self, s: Session, e: Event) -> None:
        s.data["excerpt_ok"] = e.value == "yes"
        self.next(s, "review")

    @staticmethod
    def excerpt(s: Session) -> str:
        return s.data["cur"].get("redacted") or ""

    # -- review and send ----------------------------------------------------------------------
    async def ask_review(self, s: Session) -> None:
        s.ask(
            "review.text",
            [
                Choice("send", "review.send"),
                Choice("edit", "review.edit"),
                Choice("drop", "review.drop"),
            ],
            summary=self.review_text(s),
        )

    def review_text(self, s: Session) -> str:
        d, lang, cur = s.data, s.lang, s.data["cur"]
        grounds = join(", ", (t(f"ground.{g}", lang) for g in cur["grounds"])) or t(
            "review.none", lang
        )
        story = cur["story"] if len(cur["story"]) <= 300 else cur["story"][:300] + "…"
        lines = [
            t("review.sector", lang, value=_label("sector", d.get("sector"), lang)),
            t("review.territory", lang, value=d.get("territory_name") or t("review.none", lang)),
            t("review.step", lang, value=_label("step", cur["step"], lang)),
            t("review.when", lang, value=month_year(cur["when"], lang)),
            t("review.actor", lang, value=cur["org_name"] or _label("actor", cur["actor"], lang)),
            t("review.story", lang, value=story, files=len(cur["files"])),
            t("review.grounds", lang, value=grounds),
            t("review.evidence", lang, value=_label("evidence", cur["evidence"], lang)),
        ]
        if d["saved"] == 0:
            lines.insert(
                0, t("review.relation", lang, value=_label("relation", d.get("relation"), lang))
            )
            reported = join(", ", (t(f"reported.{r}", lang) for r in d.get("reported") or ()))
            lines += [
                t("review.household", lang, value=_label("household", d.get("household"), lang)),
                t("review.qpv", lang, value=_label("qpv", d.get("qpv"), lang)),
                t("review.reported", lang, value=reported or t("review.none", lang)),
            ]
            lines.append(
                t(
                    "review.contact",
                    lang,
                    value=t("contact.yes" if d.get("contact") else "review.no", lang),
                )
            )
            lines.append(
                t(
                    "review.excerpt",
                    lang,
                    value=t("review.yes" if d.get("excerpt_ok") else "review.no", lang),
                )
            )
        return join("\n", lines)

    async def on_review(self, s: Session, e: Event) -> None:
        if e.value == "edit":
            s.goto("edit")
        elif e.value == "drop":
            s.goto("drop")
        else:
            await self.send(s)
            s.goto("receipt")

    async def ask_edit(self, s: Session) -> None:
        fields = ["step", "when_year", "actor", "story", "grounds", "evidence"]
        if s.data["saved"] == 0:
            fields = ["relation", "territory", "sector", *fields]
            fields += ["household", "qpv", "reported", "contact", "excerpt"]
        s.ask("edit.ask", [Choice(f, f"edit.{f}") for f in fields], columns=2)

    async def on_edit(self, s: Session, e: Event) -> None:
        s.data["editing"] = e.value not in ("sector",)  # a new sector changes the steps offered
        s.goto(e.value)

    async def ask_drop(self, s: Session) -> None:
        s.ask("drop.ask", [Choice("yes", "drop.yes"), Choice("no", "drop.no")])

    async def on_drop(self, s: Session, e: Event) -> None:
        if e.value == "no":
            s.goto("review")
        elif s.data["saved"]:
            s.say("drop.done_kept")
            s.goto("receipt_menu", remember=False)
        else:
            s.say("drop.done")
            s.state.update(flow=None, node=None, data={})

    def journey(self, s: Session) -> JourneyIn:
        d = s.data
        return JourneyIn(
            sector=d.get("sector") or "inconnu",
            lang=s.lang,
            incidents=(self.incident(d["cur"], d.get("excerpt_ok", False)),),
            territory_id=d.get("territory"),
            relation=d.get("relation"),
            household=d.get("household"),
            qpv=d.get("qpv"),
            reported_elsewhere=tuple(d.get("reported") or ()),
            contact_request=bool(d.get("contact")),
            contact=d.get("contact_how"),
            excerpt_consent=bool(d.get("excerpt_ok")),
        )

    @staticmethod
    def incident(i: dict[str, Any], excerpt_ok: bool) -> IncidentIn:
        codes = sorted(set(i["suggested"]) | set(i["grounds"]))
        return IncidentIn(
            step=i["step"] or "autre",
            narrative=i["story"],
            happened=i["when"],
            actor=i["actor"],
            organisation_id=i["org"],
            evidence=i["evidence"],
            excerpt=i["redacted"] if excerpt_ok else None,
            grounds=tuple(GroundChoice(c, c in i["suggested"], c in i["grounds"]) for c in codes),
            attachments=tuple(
                Attachment(f["kind"], f["filename"], f["mime"], base64.b64decode(f["data"]))
                for f in i["files"]
            ),
        )

    async def send(self, s: Session) -> None:
        d, cur = s.data, s.data["cur"]
        if d["saved"] == 0:
            await s.services.save_journey(self.journey(s), d["receipt"])
        else:
            incident = self.incident(cur, d.get("excerpt_ok", False))
            await s.services.add_incident(d["receipt"], incident, cur["key"])
        d["saved"] += 1
        # What orientation needs of what was just sent: step and grounds, not the words.
        told = {"step": cur["step"], "grounds": cur["grounds"], "evidence": cur["evidence"]}
        d["told"] = [*d.get("told", []), told]
        d["cur"] = new_incident()
        s.state["history"] = []  # what is sent cannot be gone back to

    # -- receipt and orientation -----------------------------------------------------------------
    async def ask_receipt(self, s: Session) -> None:
        d = s.data
        s.say("receipt.code", code=d["receipt"])
        advice = orientation(d.get("told", []), d.get("sector"))
        contacts = []
        if d.get("territory"):
            contacts = await s.services.organisations(d["territory"], ("association",))
        s.say(
            "receipt.orientation",
            advice=join("\n\n", (t(f"orient.{k}", s.lang) for k in advice["orient"])),
            local="\n".join(
                f"• {o.name}" + (f" — {o.contact}" if o.contact else "") for o in contacts
            )
            or t("receipt.no_local", s.lang),
        )
        s.say("receipt.evidence", tips=join("\n", (t(f"tip.{k}", s.lang) for k in advice["tips"])))
        s.goto("receipt_menu", remember=False)

    async def ask_receipt_menu(self, s: Session) -> None:
        s.ask(
            "receipt.menu",
            [
                Choice("another", "receipt.another"),
                Choice("forget", "receipt.forget"),
                Choice("finish", "receipt.finish"),
            ],
            back=False,
        )

    async def on_receipt_menu(self, s: Session, e: Event) -> None:
        if e.value == "another":
            s.data["cur"] = new_incident()
            s.goto("step")
        elif e.value == "forget":
            s.replies.append(Reply("receipt.forgotten", action="forget_chat"))
            s.state.update(flow=None, node=None, data={})
        else:
            s.say("receipt.bye", code=s.data["receipt"])
            s.state.update(flow=None, node=None, data={})

    # "receipt" only speaks, then moves on to the menu; answering it is answering the menu.
    on_receipt = on_receipt_menu
