from __future__ import annotations

from tests.flows.helpers import Conversation, tell_until


async def test_whole_testimony(conv: Conversation) -> None:
    await tell_until(conv, "review")
    assert "Je l'envoie" in conv.text()
    await conv.press("send")
    text = conv.text()
    assert "C'est envoyé" in text and "39 28" in text
    receipt = conv.state["data"]["receipt"]
    view = await conv.store.journeys.find(receipt)
    assert view is not None and view.incidents[0].step == "contact"
    assert [g.code for g in view.incidents[0].grounds if g.confirmed] == ["patronyme"]
