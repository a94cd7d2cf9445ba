"""What works at any moment: /start, /aide, /annuler, /langue, /suivi, the menu, and the
answers to their questions (resume, cancel, language)."""

from __future__ import annotations

from flows.engine import HOME, Choice, Event, Home, Session

# Menu buttons stay valid on old messages; the others answer one question only.
ALWAYS = {"tell", "followup", "help", "language"}


def in_progress(s: Session) -> bool:
    """Is there a story being told that cancelling would lose?"""
    return s.state["flow"] == "testimony" and s.node not in (None, "consent", "receipt")


class HomeMenu(Home):
    async def show(self, s: Session, event: Event) -> None:
        s.ask(
            "home.menu",
            [
                Choice(f"{HOME}tell", "home.tell"),
                Choice(f"{HOME}followup", "home.followup"),
                Choice(f"{HOME}help", "home.help"),
                Choice(f"{HOME}language", "home.language"),
            ],
            back=False,
        )

    async def on_command(self, s: Session, name: str, event: Event) -> None:
        if name == "start":
            await self.start(s)
        elif name == "help":
            s.say("help.text")
            await self.engine.reprompt(s)
        elif name == "cancel":
            await self.cancel(s)
        elif name == "language":
            s.ask(
                "language.ask",
                [Choice(f"{HOME}lang_fr", "language.fr"), Choice(f"{HOME}lang_en", "language.en")],
                back=False,
            )
        elif name == "followup":
            if in_progress(s):
                s.say("followup.finish_first")
                await self.engine.reprompt(s)
            else:
                s.start("followup", "code", {"code": event.arg.strip()[:64]})
        else:
            s.say("error.unknown_command", command=event.value[:32])
            await self.engine.reprompt(s)

    async def start(self, s: Session) -> None:
        if in_progress(s):
            flow = self.engine.flows["testimony"]
            s.ask(
                "resume.ask",
                [
                    Choice(f"{HOME}resume", "resume.continue"),
                    Choice(f"{HOME}restart", "resume.restart"),
                ],
                back=False,
                where=flow.summary(s),
            )
        else:
            s.start("testimony", "consent")

    async def cancel(self, s: Session) -> None:
        if in_progress(s):
            s.ask(
                "cancel.ask",
                [
                    Choice(f"{HOME}cancel_yes", "cancel.yes"),
                    Choice(f"{HOME}cancel_no", "cancel.no"),
                ],
                back=False,
            )
        elif s.state["flow"] is not None:
            s.say("cancel.done_nothing_lost" if s.data.get("receipt") else "cancel.done")
            s.state.update(flow=None, node=None, data={})
        else:
            s.say("cancel.nothing")
            await self.show(s, Event("text"))

    async def on_action(self, s: Session, event: Event) -> None:
        action = event.value.removeprefix(HOME)
        if action not in ALWAYS and event.turn != s.state["turn"]:
            s.say("error.old_button")
            await self.engine.reprompt(s)
            return
        if action == "tell":
            await self.start(s)
        elif action == "followup":
            await self.on_command(s, "followup", Event("command", "suivi"))
        elif action == "help":
            s.say("help.text")
            await self.engine.reprompt(s)
        elif action == "language":
            await self.on_command(s, "language", event)
        elif action in ("lang_fr", "lang_en"):
            s.state["lang"] = action[-2:]
            s.say("language.done")
            await self.engine.reprompt(s)
        elif action in ("resume", "cancel_no"):
            await self.engine.reprompt(s)
        elif action == "restart":
            s.start("testimony", "consent")
        elif action == "cancel_yes":
            s.state.update(flow=None, node=None, data={})
            s.say("cancel.done")
        else:
            s.say("error.unknown_button")
            await self.engine.reprompt(s)
