"""A small conversation engine, independent of Telegram: (state, event) -> (state, replies).

The state is plain JSON (stored encrypted as a draft between two messages). A flow is a class
with, for each node, `ask_<node>` (what to say) and `on_<node>` (what to do with an answer). The
engine handles what is the same everywhere: commands, back, skip, old or forged buttons, media
that cannot be kept, and resuming after a pause.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flows.i18n import LANGS, lang_of

if TYPE_CHECKING:
    from flows.services import Services

STATE_VERSION = 1
BACK, SKIP, HOME = "nav:back", "nav:skip", "home:"
RESUME_AFTER_MINUTES = 30
MAX_TEXT = 4096  # one Telegram message; longer stories come in several


@dataclass(frozen=True)
class Event:
    kind: str  # text, choice, command, media, edited
    value: str = ""  # the text, the choice's value, the command's name, the media's kind
    arg: str = ""  # a command's argument
    turn: int | None = None  # for a choice: the turn of the message that held the button
    data: bytes = b""  # a file the person sent (photo, document)
    filename: str = ""
    mime: str = ""
    update_id: int | None = None  # Telegram's; the same update twice changes nothing
    lang: str | None = None  # the person's app language, for a first contact


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # a catalogue key, or the label itself when literal
    literal: bool = False
    selected: bool | None = None  # multi-select: ticked or not


@dataclass
class Reply:
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    columns: int = 1
    turn: int = 0  # the turn the buttons belong to
    replace: bool = False  # edit the message whose button was pressed, instead of a new one
    action: str = ""  # "forget_chat": delete this conversation's messages from the chat


def new_state(lang: str) -> dict[str, Any]:
    return {
        "v": STATE_VERSION,
        "lang": lang if lang in LANGS else "fr",
        "flow": None,
        "node": None,
        "turn": 0,
        "expect": [],
        "history": [],
        "data": {},
        "last_update": None,
        "seen": None,
    }


class Session:
    """One step's worth of conversation: the state being changed and the replies so far."""

    def __init__(self, state: dict[str, Any], services: Services) -> None:
        self.state = state
        self.services = services
        self.replies: list[Reply] = []
        self.moved = False
        self.pressed = False  # the event was a button: a prompt may replace its message

    @property
    def data(self) -> dict[str, Any]:
        return self.state["data"]

    @property
    def lang(self) -> str:
        return self.state["lang"]

    @property
    def node(self) -> str | None:
        return self.state["node"]

    def say(self, key: str, **params: Any) -> None:
        self.replies.append(Reply(key, params))

    def ask(
        self,
        key: str,
        choices: list[Choice] | tuple[Choice, ...] = (),
        *,
        columns: int = 1,
        back: bool = True,
        skip: bool = False,
        replace: bool = False,
        **params: Any,
    ) -> None:
        """A question: its buttons become the only valid answers until the next question."""
        nav = []
        if skip:
            nav.append(Choice(SKIP, "nav.skip"))
        if back and self.state["history"]:
            nav.append(Choice(BACK, "nav.back"))
        all_choices = (*choices, *nav)
        self.state["turn"] += 1
        self.state["expect"] = [c.value for c in all_choices]
        self.replies.append(
            Reply(key, params, all_choices, columns, self.state["turn"], replace and self.pressed)
        )

    def goto(self, node: str, *, remember: bool = True) -> None:
        if remember and self.state["node"] and self.state["node"] != node:
            self.state["history"].append(self.state["node"])
            del self.state["history"][:-40]
        self.state["node"] = node
        self.moved = True

    def start(self, flow: str, node: str, data: dict[str, Any] | None = None) -> None:
        self.state.update(flow=flow, node=None, history=[], data=data or {})
        self.goto(node)


Handler = Callable[[Session, Event], Awaitable[None]]


class Flow:
    """Base of the flows: subclasses define ask_<node> and on_<node> coroutines."""

    name = ""
    start = ""

    async def prompt(self, s: Session) -> None:
        await getattr(self, f"ask_{s.node}")(s)

    async def handle(self, s: Session, event: Event) -> None:
        await getattr(self, f"on_{s.node}")(s, event)

    def accepts_text(self, node: str) -> bool:
        return False

    def accepts_files(self, node: str) -> bool:
        return False

    def summary(self, s: Session) -> str:
        """A few words on where the person was, for "you were telling me about..."."""
        return ""


class Engine:
    def __init__(self, flows: list[Flow], home: Home) -> None:
        self.flows = {f.name: f for f in flows}
        self.home = home  # commands, the menu, and the buttons valid everywhere
        home.engine = self

    async def step(
        self, state: dict[str, Any] | None, event: Event, services: Services
    ) -> tuple[dict[str, Any] | None, list[Reply]]:
        """Apply one event. Returns the new state (None: nothing to keep) and the replies."""
        state = copy.deepcopy(state) if state else new_state(lang_of(event.lang))
        last = state["last_update"]
        if event.update_id is not None and last is not None and event.update_id <= last:
            return state, []  # delivered twice: already handled
        state["last_update"] = event.update_id
        s = Session(state, services)
        now = services.now()
        if self._paused(state, now) and state["flow"] is not None:
            flow = self.flows[state["flow"]]
            s.say("resume.hello", where=flow.summary(s) or "")
        state["seen"] = now.isoformat()
        await self._dispatch(s, event)
        while s.moved:
            s.moved = False
            if s.state["flow"] is None:
                break
            await self.flows[s.state["flow"]].prompt(s)
        if s.state["flow"] is None:
            return None, s.replies  # nothing going on: nothing to keep
        return s.state, s.replies

    @staticmethod
    def _paused(state: dict[str, Any], now: datetime) -> bool:
        if not state["seen"]:
            return False
        return (now - datetime.fromisoformat(state["seen"])).total_seconds() > (
            RESUME_AFTER_MINUTES * 60
        )

    async def _dispatch(self, s: Session, event: Event) -> None:
        flow = self.flows.get(s.state["flow"] or "")
        if event.kind == "command":
            await self.home.on_command(s, COMMANDS.get(event.value, ""), event)
            return
        if event.kind == "choice" and event.value.startswith(HOME):
            await self.home.on_action(s, event)
            return
        if flow is None or s.node is None:
            await self.home.show(s, event)
            return
        if event.kind == "choice":
            await self._choice(s, flow, event)
        elif event.kind == "text":
            await self._text(s, flow, event)
        elif event.kind == "media":
            await self._media(s, flow, event)
        elif event.kind == "edited":
            s.say("media.edited")
            await flow.prompt(s)
        else:
            await flow.prompt(s)

    async def _choice(self, s: Session, flow: Flow, event: Event) -> None:
        s.pressed = True
        if event.turn != s.state["turn"]:
            s.say("error.old_button")
            s.pressed = False
            await flow.prompt(s)
            return
        if event.value not in s.state["expect"]:
            s.say("error.unknown_button")
            s.pressed = False
            await flow.prompt(s)
            return
        if event.value == BACK:
            self.back(s)
            return
        await flow.handle(s, event)

    async def _text(self, s: Session, flow: Flow, event: Event) -> None:
        text = event.value.strip()
        if flow.accepts_text(s.node or ""):
            if not any(ch.isalnum() for ch in text):
                s.say("error.no_words")
                return
            await flow.handle(s, Event("text", text[:MAX_TEXT], update_id=event.update_id))
            return
        # A typed answer that is the label or number of a button counts as pressing it.
        value = self._typed_choice(s, text)
        if value is not None:
            s.pressed = False
            if value == BACK:
                self.back(s)
            else:
                await flow.handle(s, Event("choice", value, turn=s.state["turn"]))
            return
        s.say("error.use_buttons")
        await flow.prompt(s)

    @staticmethod
    def _typed_choice(s: Session, text: str) -> str | None:
        """A button's number ("2"), or the words for back and skip, typed instead of pressed."""
        expect = s.state["expect"]
        if text.isdigit() and 1 <= int(text) <= len(expect):
            return expect[int(text) - 1]
        word = text.casefold().strip(" .!")
        for value, words in ((BACK, {"retour", "back"}), (SKIP, {"passer", "skip"})):
            if word in words and value in expect:
                return value
        return None

    async def _media(self, s: Session, flow: Flow, event: Event) -> None:
        if event.value in ("photo", "document") and flow.accepts_files(s.node or ""):
            await flow.handle(s, event)
            return
        kind = event.value if event.value in MEDIA_KEYS else "other"
        s.say(f"media.{kind}")
        await flow.prompt(s)

    def back(self, s: Session) -> None:
        history = s.state["history"]
        if history:
            s.state["node"] = history.pop()
            s.moved = True
        else:
            s.moved = True  # nothing before: ask the same question again

    async def reprompt(self, s: Session) -> None:
        """Ask the current question again, or show the menu when nothing is going on."""
        flow = self.flows.get(s.state["flow"] or "")
        if flow is None or s.node is None:
            await self.home.show(s, Event("text"))
        else:
            await flow.prompt(s)


class Home:
    """What works everywhere: commands, the menu, and the buttons of interruptions (resume,
    cancel, language). Subclassed by flows.home."""

    engine: Engine

    async def on_command(self, s: Session, name: str, event: Event) -> None:
        raise NotImplementedError

    async def on_action(self, s: Session, event: Event) -> None:
        raise NotImplementedError

    async def show(self, s: Session, event: Event) -> None:
        raise NotImplementedError


# Kinds of messages other than text that the flows explain (catalogue: media.<kind>).
MEDIA_KEYS = (
    "photo",
    "document",
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "location",
    "contact",
    "poll",
)
# Command names in both languages, to what they do.
COMMANDS = {
    "start": "start",
    "aide": "help",
    "help": "help",
    "annuler": "cancel",
    "cancel": "cancel",
    "langue": "language",
    "language": "language",
    "suivi": "followup",
    "followup": "followup",
}
