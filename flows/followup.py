"""/suivi: come back with the receipt code to read back what was told, add a step, or delete
everything. Wrong codes are counted per person: guessing someone else's is slowed down."""

from __future__ import annotations

from flows.engine import Choice, Event, Flow, Session
from flows.i18n import join, month_year
from flows.i18n import text as t
from flows.testimony import new_incident
from storage import JourneyView, normalise_code


class FollowUp(Flow):
    name = "followup"
    start = "code"

    def accepts_text(self, node: str) -> bool:
        return node == "code"

    def summary(self, s: Session) -> str:
        return t("resume.where_followup", s.lang)

    async def ask_code(self, s: Session) -> None:
        given = s.data.pop("code", "")
        if given:
            await self.on_code(s, Event("text", given))
            return
        s.ask("followup.ask_code", back=False)

    async def on_code(self, s: Session, e: Event) -> None:
        if await s.services.guesses_left() <= 0:
            s.say("followup.too_many")
            s.state.update(flow=None, node=None, data={})
            return
        code = normalise_code(e.value)
        view = await s.services.find_journey(code) if len(code) == 19 else None
        if view is None:
            await s.services.wrong_guess()
            s.say("followup.unknown", left=await s.services.guesses_left())
            s.goto("code")
            return
        s.data["receipt"] = code
        s.goto("show")

    async def ask_show(self, s: Session) -> None:
        view = await s.services.find_journey(s.data["receipt"])
        if view is None:  # deleted meanwhile, from another device
            s.say("followup.gone")
            s.state.update(flow=None, node=None, data={})
            return
        s.data.update(sector=view.sector, territory=view.territory_id, count=len(view.incidents))
        s.data["excerpt_ok"] = view.excerpt_consent
        s.say("followup.readback", summary=self.readback(view, s.lang))
        s.ask(
            "followup.menu",
            [
                Choice("add", "followup.add"),
                Choice("delete", "followup.delete"),
                Choice("close", "followup.close"),
            ],
            back=False,
        )

    @staticmethod
    def readback(view: JourneyView, lang: str) -> str:
        parts = [
            t(
                "followup.journey",
                lang,
                sector=t(f"sector.{view.sector}", lang),
                date=view.created_on,
            )
        ]
        for i in view.incidents:
            grounds = join(", ", (t(f"ground.{g.code}", lang) for g in i.grounds if g.confirmed))
            parts.append(
                t(
                    "followup.incident",
                    lang,
                    number=i.position,
                    step=t(f"step.{i.step}", lang),
                    when=month_year(i.happened, lang),
                    grounds=grounds or t("review.none", lang),
                )
            )
            if i.excerpt:
                parts.append(t("followup.excerpt", lang, excerpt=i.excerpt[:500]))
        parts.append(t("followup.sealed", lang))
        return join("\n", parts)

    async def on_show(self, s: Session, e: Event) -> None:
        if e.value == "add":
            d = s.data
            s.start(
                "testimony",
                "step",
                {
                    "receipt": d["receipt"],
                    "saved": d["count"],
                    "sector": d["sector"],
                    "territory": d["territory"],
                    "excerpt_ok": d["excerpt_ok"],
                    "asked": True,
                    "cur": new_incident(),
                },
            )
        elif e.value == "delete":
            s.goto("delete")
        else:
            s.say("followup.closed")
            s.state.update(flow=None, node=None, data={})

    async def ask_delete(self, s: Session) -> None:
        s.ask(
            "followup.delete_ask",
            [Choice("yes", "followup.delete_yes"), Choice("no", "followup.delete_no")],
        )

    async def on_delete(self, s: Session, e: Event) -> None:
        if e.value == "yes":
            await s.services.delete_journey(s.data["receipt"])
            s.say("followup.deleted")
            s.state.update(flow=None, node=None, data={})
        else:
            s.goto("show")
