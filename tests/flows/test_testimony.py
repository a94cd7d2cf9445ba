"""The resident's conversation, path by path, as a person would see it."""

from __future__ import annotations

import pytest

from flows import Event
from storage import Store
from tests.flows.helpers import Conversation, tell_until


async def test_first_contact_shows_the_menu_and_stores_nothing(conv: Conversation) -> None:
    await conv.say("bonjour")
    assert "Que voulez-vous faire" in conv.text() and conv.state is None
    await conv.press("home:tell")
    assert "Êtes-vous d'accord pour commencer" in conv.text()
    assert "Telegram" in conv.text() and "39 28" not in conv.text()  # short screen first
    await conv.press("more")
    assert "39 28" in conv.text() and "chiffré" in conv.text()


async def test_declining_consent_keeps_nothing(conv: Conversation) -> None:
    await conv.command("start")
    await conv.press("no")
    assert "je n'ai rien gardé" in conv.text() and conv.state is None
    assert await conv.store.journeys.count() == 0


async def test_every_question_can_be_skipped_or_gone_back_on(conv: Conversation) -> None:
    await tell_until(conv, "relation")
    await conv.press("nav:skip")
    assert conv.node == "sector"  # no territory configured: that question is not asked
    await conv.press("nav:back")
    assert conv.node == "relation"
    await conv.press("moi")
    await conv.press("social")
    assert "Déposer ma demande" in conv.text() and "Annonce" not in conv.text()
    await conv.press("nav:back")
    await conv.press("prive")
    assert "Annonce" in conv.text() and "Commission (CALEOL)" not in conv.text()


async def test_territories_and_organisations_are_offered(store: Store) -> None:
    lille = await store.territories.create("lille", "Métropole européenne de Lille")
    await store.territories.add_organisation(lille.id, "bailleur", "Lille Métropole Habitat")
    await store.territories.add_organisation(
        lille.id, "association", "ADIL du Nord", "03 20 00 00 00"
    )
    conv = Conversation(store)
    await tell_until(conv, "territory")
    assert "Métropole européenne de Lille" in [c.label for c in conv.question.choices]
    await conv.press(f"t:{lille.id}")
    await conv.press("social")
    await conv.press("commission")
    await conv.press("unknown")
    await conv.press("commission")
    assert "quel organisme" in conv.text()
    assert "Lille Métropole Habitat" in [c.label for c in conv.question.choices]
    await conv.press_label("Lille Métropole Habitat")
    assert conv.node == "story"
    await tell_until(conv, "review")
    assert "Lille Métropole Habitat" in conv.text()
    await conv.press("send")
    assert "ADIL du Nord — 03 20 00 00 00" in conv.text()


async def test_story_in_several_messages_with_a_photo(conv: Conversation) -> None:
    await tell_until(conv, "story")
    await conv.say("Premier message : on m'a parlé de mon voile.")
    assert "C'est noté" in conv.text()
    await conv.send(
        Event("media", "photo", data=b"\x89PNG...", filename="refus.jpg", mime="image/jpeg")
    )
    assert "gardé chiffré" in conv.text()
    await conv.say("Deuxième message.")
    await conv.press("done")
    assert "Religion" in conv.text() and "« voile »" in conv.text()
    cur = conv.state["data"]["cur"]
    assert cur["story"].count("message") == 2 and len(cur["files"]) == 1


async def test_too_many_or_too_big_files_are_refused_kindly(conv: Conversation) -> None:
    await tell_until(conv, "story")
    for _ in range(3):
        await conv.send(Event("media", "document", data=b"x", filename="a.pdf"))
    await conv.send(Event("media", "document", data=b"x", filename="b.pdf"))
    assert "au plus 3 fichiers" in conv.text()
    await conv.press("clear")
    await conv.send(Event("media", "photo", data=b""))
    assert "trop lourd" in conv.text()


async def test_done_without_a_story_asks_for_one(conv: Conversation) -> None:
    await tell_until(conv, "story")
    await conv.send(Event("media", "document", data=b"x", filename="a.pdf"))
    await conv.press("done")
    assert "Je n'ai encore rien reçu" in conv.text() and conv.node == "story"


async def test_grounds_can_be_ticked_unticked_and_unknown(conv: Conversation) -> None:
    await tell_until(conv, "grounds", story="vu mon nom et mon voile")
    assert {c.value for c in conv.question.choices if c.selected} == {"g:patronyme", "g:religion"}
    await conv.press("g:religion")
    assert conv.replies[-1].replace  # the same message is updated, not a new one
    await conv.press("all")
    assert "g:handicap" in [c.value for c in conv.question.choices]
    await conv.press("g:handicap")
    await conv.press("g:ne_sait_pas")
    assert conv.state["data"]["cur"]["grounds"] == ["ne_sait_pas"]
    await conv.press("g:age")
    assert conv.state["data"]["cur"]["grounds"] == ["age"]


async def test_no_suggestion_when_analysis_fails_or_other_language(conv: Conversation) -> None:
    conv.nlp.fail = True
    await tell_until(conv, "grounds")
    assert "n'arrive pas à analyser" in conv.text() and "g:handicap" in conv.state["expect"]
    conv2 = Conversation(conv.store, user=2002)
    await tell_until(conv2, "grounds", story="I was refused because of my name")
    assert "que le français" in conv2.text()


async def test_review_edit_and_send(conv: Conversation) -> None:
    await tell_until(conv, "review")
    await conv.press("edit")
    await conv.press("when_year")
    await conv.press("2024")
    await conv.press("03")
    assert conv.node == "review" and "mars 2024" in conv.text()
    await conv.press("edit")
    await conv.press("story")
    await conv.press("clear")
    await conv.say("Finalement : mon voile a posé problème.")
    await conv.press("done")
    assert conv.node == "review"
    assert conv.nlp.calls == 2  # the new story was analysed again
    await conv.press("send")
    view = await conv.store.journeys.find(conv.state["data"]["receipt"])
    assert view.incidents[0].happened == "2024-03"


async def test_excerpt_is_redacted_and_kept_only_with_consent(store: Store) -> None:
    yes = Conversation(store, user=1)
    await tell_until(yes, "excerpt", story="Karim m'a dit non à cause de mon nom")
    assert "[NOM] m'a dit non" in yes.text() and "Karim" not in yes.text()
    await yes.press("yes")
    await yes.press("send")
    no = Conversation(store, user=2)
    await tell_until(no, "excerpt")
    await no.press("no")
    await no.press("send")
    kept = await store.journeys.find(yes.state["data"]["receipt"])
    refused = await store.journeys.find(no.state["data"]["receipt"])
    assert kept.incidents[0].excerpt == "[NOM] m'a dit non à cause de mon nom"
    assert refused.incidents[0].excerpt is None


async def test_contact_request_is_kept_encrypted(conv: Conversation) -> None:
    await tell_until(conv, "contact")
    await conv.press("yes")
    await conv.say("Appelez-moi le soir au 06 11 22 33 44")
    await conv.press("yes")
    await conv.press("send")
    view = await conv.store.journeys.find(conv.state["data"]["receipt"])
    assert view.contact_request and view.contact == "Appelez-moi le soir au 06 11 22 33 44"


async def test_another_step_of_the_same_journey(conv: Conversation) -> None:
    await tell_until(conv, "review")
    await conv.press("send")
    code = conv.state["data"]["receipt"]
    await conv.press("another")
    assert "Une autre étape" in conv.text()
    await conv.press("visite")
    await conv.press("unknown")
    await conv.press("nav:skip")
    await conv.say("À la visite, il a vu mon voile.")
    await conv.press("done")
    await conv.press("done")
    await conv.press("dit")
    assert conv.node == "review"  # the optional questions are asked once per journey
    await conv.press("send")
    view = await conv.store.journeys.find(code)
    assert [i.step for i in view.incidents] == ["contact", "visite"]
    await conv.press("finish")
    assert code in conv.text() and conv.state is None


async def test_sending_twice_stores_once(conv: Conversation) -> None:
    await tell_until(conv, "review")
    question = conv.question
    await conv.send(Event("choice", "send", turn=question.turn, update_id=500))
    before = conv.state
    await conv.send(Event("choice", "send", turn=question.turn, update_id=500))  # redelivered
    assert conv.replies == [] and conv.state == before
    assert await conv.store.journeys.count() == 1


async def test_a_crash_after_saving_but_before_the_draft_stores_once(conv: Conversation) -> None:
    await tell_until(conv, "review")
    draft, question = conv.state, conv.question
    await conv.press("send")
    conv.state = draft  # the draft written before the answer is all that survived
    await conv.send(Event("choice", "send", turn=question.turn))
    assert "C'est envoyé" in conv.text()
    assert await conv.store.journeys.count() == 1


async def test_forget_the_conversation_on_this_phone(conv: Conversation) -> None:
    await tell_until(conv, "review")
    await conv.press("send")
    await conv.press("forget")
    assert conv.replies[-1].action == "forget_chat" and conv.state is None
    assert await conv.store.journeys.count() == 1


@pytest.mark.parametrize(("command", "kept"), [("annuler", False), ("cancel", False)])
async def test_cancel_asks_then_erases(conv: Conversation, command: str, kept: bool) -> None:
    await tell_until(conv, "actor")
    await conv.command(command)
    await conv.press("home:cancel_no")
    assert conv.node == "actor"
    await conv.command(command)
    await conv.press("home:cancel_yes")
    assert conv.state is None and "effacé" in conv.text()


async def test_drop_before_sending(conv: Conversation) -> None:
    await tell_until(conv, "review")
    await conv.press("drop")
    await conv.press("yes")
    assert conv.state is None and await conv.store.journeys.count() == 0


async def test_help_language_and_start_in_the_middle(conv: Conversation) -> None:
    await tell_until(conv, "actor")
    await conv.command("aide")
    assert "/suivi" in conv.text() and conv.node == "actor"
    await conv.command("langue")
    await conv.press("home:lang_en")
    assert conv.state["lang"] == "en" and "Who" in conv.text("en")
    await conv.command("start")
    assert "Do you want to continue" in conv.text("en") or "continue" in conv.text("en").lower()
    await conv.press("home:resume")
    assert conv.node == "actor"
    await conv.command("start")
    await conv.press("home:restart")
    assert conv.node == "consent"


async def test_resuming_after_a_pause_says_where_we_were(conv: Conversation) -> None:
    await tell_until(conv, "when_year")
    conv.later(45)
    await conv.press("2026")
    assert (
        "Vous étiez en train de me raconter ce qui s'est passé à l'étape « Premier contact »"
        in conv.text()
    )
    assert conv.node == "when_month"


async def test_old_and_unknown_buttons_change_nothing(conv: Conversation) -> None:
    await tell_until(conv, "sector")
    before = dict(conv.state)
    await conv.send(Event("choice", "social", turn=1))
    assert "ancien message" in conv.text() and conv.node == "sector"
    await conv.send(Event("choice", "../../etc", turn=conv.state["turn"]))
    assert "pas compris ce bouton" in conv.text() and conv.node == "sector"
    await conv.send(Event("choice", "", turn=None))
    assert "ancien message" in conv.text()
    assert conv.state["data"] == before["data"]


async def test_typed_numbers_and_words_answer_buttons(conv: Conversation) -> None:
    await tell_until(conv, "sector")
    await conv.say("2")
    assert conv.state["data"]["sector"] == "prive"
    await conv.say("retour")
    assert conv.node == "sector"
    await conv.say("n'importe quoi")
    assert "utilisez les boutons" in conv.text()


@pytest.mark.parametrize("kind", ["sticker", "voice", "location", "contact", "video", "poll"])
async def test_media_that_cannot_be_kept_is_explained(conv: Conversation, kind: str) -> None:
    await tell_until(conv, "story")
    await conv.send(Event("media", kind))
    assert conv.node == "story" and len(conv.replies) == 2
    assert conv.state["data"]["cur"]["files"] == []


async def test_unknown_command_and_edited_message(conv: Conversation) -> None:
    await tell_until(conv, "sector")
    await conv.command("pizza")
    assert "Je ne connais pas la commande pizza" in conv.text() and conv.node == "sector"
    await conv.send(Event("edited"))
    assert "modifié un message" in conv.text()


async def test_english_all_the_way(store: Store) -> None:
    conv = Conversation(store)
    await conv.send(Event("command", "start", lang="en-GB"))
    assert "Do you agree to start" in conv.text("en") or conv.state["lang"] == "en"
    await tell_until(conv, "review")
    await conv.press("send")
    assert "Défenseur des droits" in conv.text("en")


async def test_every_answer_can_be_edited_from_the_review(conv: Conversation) -> None:
    await tell_until(conv, "review")
    labels = [c.value for c in (await conv.press("edit"))[-1].choices]
    fields = "relation territory sector step when_year actor story grounds evidence household qpv"
    for field in (*fields.split(), "reported", "contact", "excerpt"):
        assert field in labels, field
    await conv.press("relation")
    await conv.press("temoin")
    assert conv.node == "review" and "J'en ai été témoin" in conv.text()
    await conv.press("edit")
    await conv.press("territory")  # none configured: straight back to the review
    assert conv.node == "review"
    await conv.press("edit")
    await conv.press("qpv")
    await conv.press("oui")
    assert "Quartier prioritaire : Oui" in conv.text()


async def test_catalogue_markup_nests_and_the_persons_words_are_escaped(conv: Conversation) -> None:
    from bot.render import render_text

    await tell_until(conv, "review", story="Il a dit <b>non</b> & « vu mon nom »")
    html = render_text(conv.question, "fr")
    assert "<i>Il a dit &lt;b&gt;non&lt;/b&gt; &amp; « vu mon nom »</i>" in html
    assert "&lt;i&gt;" not in html and "Nom, prénom" in html
    await conv.press("edit")
    await conv.press("grounds")
    suggested = render_text(conv.question, "fr")
    assert "<b>Nom, prénom</b>" in suggested and "&lt;b&gt;" not in suggested
