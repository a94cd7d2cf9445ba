"""A conversation driven through the engine with real storage and a quick stand-in for spaCy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flows import Event, Reply, build_engine
from flows.i18n import text as render
from flows.services import StoreServices
from nlp import Analysis, GroundHit, Trigger
from storage import Store


class QuickNlp:
    """Stands in for the spaCy worker: finds "nom" and "voile", redacts "Karim"."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail = False

    async def analyse(self, text: str) -> Analysis | None:
        self.calls += 1
        if self.fail:
            return None
        hits = []
        for word, code in (("nom", "patronyme"), ("voile", "religion")):
            at = text.find(word)
            if at >= 0:
                hits.append(GroundHit(code, 0.9, (Trigger(at, at + len(word), word),)))
        language = "en" if text.startswith("I ") else "fr"
        return Analysis(
            tuple(hits) if language == "fr" else (),
            text.replace("Karim", "[NOM]"),
            (),
            language,
            False,
        )


@dataclass
class Conversation:
    store: Store
    user: int = 1001
    nlp: QuickNlp = field(default_factory=QuickNlp)
    state: dict[str, Any] | None = None
    replies: list[Reply] = field(default_factory=list)
    clock: datetime = field(default_factory=lambda: datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    update_id: int = 0

    def __post_init__(self) -> None:
        self.engine = build_engine()
        self.services = StoreServices(self.store, self.nlp, self.user)  # type: ignore[arg-type]
        self.services.now = lambda: self.clock  # type: ignore[method-assign]

    async def send(self, event: Event) -> list[Reply]:
        self.update_id += 1
        if event.update_id is None:
            event = Event(**{**event.__dict__, "update_id": self.update_id})
        self.state, self.replies = await self.engine.step(self.state, event, self.services)
        return self.replies

    async def say(self, text: str) -> list[Reply]:
        return await self.send(Event("text", text))

    async def command(self, name: str, arg: str = "") -> list[Reply]:
        return await self.send(Event("command", name, arg))

    async def press(self, value: str) -> list[Reply]:
        """Press the button with this value on the last question."""
        question = self.question
        assert question is not None, "no question asked"
        values = [c.value for c in question.choices]
        assert value in values, f"{value!r} not in {values}"
        return await self.send(Event("choice", value, turn=question.turn))

    async def press_label(self, label_key: str) -> list[Reply]:
        question = self.question
        assert question is not None
        for choice in question.choices:
            if choice.label == label_key:
                return await self.send(Event("choice", choice.value, turn=question.turn))
        raise AssertionError(f"no button {label_key}: {[c.label for c in question.choices]}")

    @property
    def question(self) -> Reply | None:
        asked = [r for r in self.replies if r.choices]
        return asked[-1] if asked else None

    @property
    def node(self) -> str | None:
        return self.state["node"] if self.state else None

    def texts(self, lang: str = "fr") -> list[str]:
        """What the person sees: each reply's text, then its buttons' labels."""
        out = []
        for reply in self.replies:
            labels = [c.label if c.literal else render(c.label, lang) for c in reply.choices]
            out.append("\n".join([render(reply.key, lang, **reply.params), *labels]))
        return out

    def text(self, lang: str = "fr") -> str:
        return "\n".join(self.texts(lang))

    def later(self, minutes: int) -> None:
        self.clock += timedelta(minutes=minutes)


async def tell_until(
    conv: Conversation, node: str, story: str = "Quand il a vu mon nom, c'était loué."
) -> None:
    """Walk the usual path of a testimony until `node` is asked."""
    script = [
        ("consent", lambda: conv.press("yes")),
        ("relation", lambda: conv.press("moi")),
        ("territory", lambda: conv.press("other")),
        ("sector", lambda: conv.press("prive")),
        ("step", lambda: conv.press("contact")),
        ("when_year", lambda: conv.press("2026")),
        ("when_month", lambda: conv.press("10")),
        ("actor", lambda: conv.press("agence")),
        ("story", None),
        ("grounds", lambda: conv.press("done")),
        ("evidence", lambda: conv.press("implicite")),
        ("household", lambda: conv.press("nav:skip")),
        ("qpv", lambda: conv.press("non")),
        ("reported", lambda: conv.press("done")),
        ("contact", lambda: conv.press("no")),
        ("excerpt", lambda: conv.press("yes")),
    ]
    if conv.state is None:
        await conv.command("start")
    for name, action in script:
        if conv.node == node:
            return
        if conv.node != name:
            continue
        if name == "story":
            await conv.say(story)
            await conv.press("done")
        else:
            await action()
    assert conv.node == node, f"stopped at {conv.node}, wanted {node}"
