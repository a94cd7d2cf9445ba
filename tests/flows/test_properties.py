"""Random events in random order: the engine never crashes, always answers, and never loses a
testimony once it is sent."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import render_text
from bot.sandbox.html import parse_html
from flows import Event
from storage import Store, init_keys
from tests.flows.helpers import Conversation

COMMANDS = ["start", "aide", "annuler", "langue", "suivi", "xyz", "help"]
MEDIA = ["photo", "document", "sticker", "voice", "location", "contact", "video"]
TEXTS = [
    "",
    "   ",
    "😡",
    "bonjour",
    "3",
    "retour",
    "passer",
    "vu mon nom " * 50,
    "I need help",
    "<b>&",
]

action = st.one_of(
    st.tuples(st.just("press"), st.integers(0, 40)),
    st.tuples(st.just("stale"), st.integers(-3, 3)),
    st.tuples(st.just("forged"), st.text(max_size=70)),
    st.tuples(st.just("text"), st.sampled_from(TEXTS) | st.text(max_size=200)),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("media"), st.sampled_from(MEDIA)),
    st.tuples(st.just("edited"), st.none()),
    st.tuples(st.just("pause"), st.integers(1, 120)),
)


async def _run(store: Store, actions: list[tuple[str, object]]) -> None:
    conv = Conversation(store, user=99)
    sent: set[str] = set()
    for kind, arg in actions:
        state = conv.state
        turn = state["turn"] if state else 0
        if kind == "press":
            expect = state["expect"] if state else []
            if not expect:
                continue
            event = Event("choice", expect[int(arg) % len(expect)], turn=turn)
        elif kind == "stale":
            event = Event("choice", "send", turn=turn + int(arg))
        elif kind == "forged":
            event = Event("choice", str(arg), turn=turn)
        elif kind == "text":
            event = Event("text", str(arg))
        elif kind == "command":
            event = Event("command", str(arg))
        elif kind == "media":
            event = Event("media", str(arg), data=b"x" * 10)
        elif kind == "edited":
            event = Event("edited")
        else:
            conv.later(int(arg))
            continue
        replies = await conv.send(event)
        assert replies, (kind, arg, conv.node)  # always an answer
        for reply in replies:  # every reply is valid Telegram HTML, whatever was typed
            parse_html(render_text(reply, conv.state["lang"] if conv.state else "fr"))
        if conv.state and conv.state["data"].get("saved"):
            sent.add(conv.state["data"]["receipt"])
    for receipt in sent:  # whatever happened after, what was sent is still there
        assert await store.journeys.find(receipt) is not None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(action, min_size=1, max_size=60))
def test_random_events_never_break_the_conversation(tmp_path: Path, actions: list) -> None:
    async def scenario() -> None:
        folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
        keys = init_keys(folder / "data", folder / "private.pem")
        store = await Store.open(folder / "data", keys=keys)
        try:
            await _run(store, actions)
        finally:
            await store.close()

    asyncio.run(scenario())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(presses=st.lists(st.integers(0, 40), min_size=5, max_size=120))
def test_pressing_buttons_at_random_reaches_only_valid_states(
    tmp_path: Path, presses: list[int]
) -> None:
    """Pressing any offered button, many times, always leads to a question or a clean end."""

    async def scenario() -> None:
        folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
        keys = init_keys(folder / "data", folder / "private.pem")
        store = await Store.open(folder / "data", keys=keys)
        try:
            conv = Conversation(store, user=7)
            await conv.command("start")
            for n in presses:
                if conv.state is None:
                    await conv.command("start")
                    continue
                if conv.node == "story":
                    await conv.say("mon nom a posé problème")
                expect = conv.state["expect"]
                await conv.send(Event("choice", expect[n % len(expect)], turn=conv.state["turn"]))
                assert conv.state is None or conv.question is not None
        finally:
            await store.close()

    asyncio.run(scenario())
