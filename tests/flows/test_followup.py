"""/suivi: read back, add a step, delete everything; guessing codes is slowed down."""

from __future__ import annotations

from flows.services import RECEIPT_ATTEMPTS
from storage import Store
from tests.flows.helpers import Conversation, tell_until


async def _told(store: Store) -> str:
    conv = Conversation(store, user=1)
    await tell_until(conv, "review", story="Karim a dit que vu mon nom c'était non")
    await conv.press("send")
    return conv.state["data"]["receipt"]


async def test_read_back_shows_what_the_server_can_read_and_says_the_rest_is_sealed(
    store: Store,
) -> None:
    code = await _told(store)
    conv = Conversation(store, user=2)  # another phone
    await conv.command("suivi", code.lower().replace("-", " "))
    text = conv.text()
    assert "Premier contact" in text and "Nom, prénom" in text
    assert "[NOM] a dit" in text and "Karim" not in text
    assert "fermé à clé" in text


async def test_add_a_step_later(store: Store) -> None:
    code = await _told(store)
    conv = Conversation(store, user=2)
    await conv.command("suivi")
    await conv.say(code)
    await conv.press("add")
    await conv.press("visite")
    await conv.press("unknown")
    await conv.press("nav:skip")
    await conv.say("La visite a été annulée quand il a vu mon voile.")
    await conv.press("done")
    await conv.press("done")
    await conv.press("nav:skip")
    await conv.press("send")
    view = await store.journeys.find(code)
    assert [i.step for i in view.incidents] == ["contact", "visite"]
    assert view.incidents[1].excerpt is not None  # the consent given at first still applies


async def test_delete_everything_is_real(store: Store) -> None:
    code = await _told(store)
    conv = Conversation(store, user=2)
    await conv.command("suivi", code)
    await conv.press("delete")
    await conv.press("no")
    assert conv.node == "show"
    await conv.press("delete")
    await conv.press("yes")
    assert "effacé pour de bon" in conv.text()
    assert await store.journeys.find(code) is None
    assert (await store.db.fetchone("SELECT COUNT(*) FROM incidents"))[0] == 0


async def test_wrong_codes_are_limited_per_person(store: Store) -> None:
    await _told(store)
    conv = Conversation(store, user=3)
    await conv.command("suivi")
    for n in range(RECEIPT_ATTEMPTS):
        await conv.say("AAAA-BBBB-CCCC-DDDD")
        assert "Je ne trouve pas ce code" in conv.text()
        assert f"il vous reste {RECEIPT_ATTEMPTS - n - 1} essai" in conv.text()
    await conv.say("AAAA-BBBB-CCCC-DDDD")
    assert "Trop d'essais" in conv.text() and conv.state is None
    other = Conversation(store, user=4)  # someone else is not blocked
    await other.command("suivi", "AAAA-BBBB-CCCC-DDDD")
    assert "Je ne trouve pas ce code" in other.text()


async def test_followup_waits_for_the_story_in_progress(store: Store) -> None:
    conv = Conversation(store, user=5)
    await tell_until(conv, "actor")
    await conv.command("suivi")
    assert "Terminez d'abord" in conv.text() and conv.node == "actor"
