"""The sandbox Bot API, exercised through python-telegram-bot itself over real HTTP.

If PTB accepts what the sandbox answers and the sandbox refuses what Telegram refuses, the
end-to-end tests built on it say something about the real bot.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import FakeTelegram, SandboxError, parse_html

USER = 1001
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Oui", callback_data="oui"),
            InlineKeyboardButton("Non", callback_data="non"),
        ]
    ]
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


async def raw_call(
    fake: FakeTelegram, method: str, token: str | None = None, **params: Any
) -> tuple[int, dict[str, Any]]:
    """The sandbox's exact HTTP answer, for what PTB reshapes (status, description)."""
    url = f"{fake.base_url}{token or fake.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, json=params) as response:
        return response.status, await response.json()


async def user_says(fake: FakeTelegram, bot: Bot, text: str = "bonjour") -> int:
    """Open the private chat (the bot can only write to users who wrote first)."""
    await fake.send_text(USER, text)
    updates = await bot.get_updates(timeout=0)
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return USER


# -- a real Application, polling -------------------------------------------------------------
@pytest.fixture
async def echo_app(fake: FakeTelegram) -> AsyncIterator[Application]:
    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_html(
            f"<b>Bienvenue</b> args={html.escape(' '.join(context.args or []))}"
        )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(f"Écho : {update.message.text}", reply_markup=KEYBOARD)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"Choix : {query.data}")
        await query.edit_message_text(f"Vous avez répondu {query.data}.")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_echo_round_trip_through_polling(fake: FakeTelegram, echo_app: Application) -> None:
    update = await fake.send_text(USER, "Bonjour <toi> & moi")
    reply = await fake.next_reply(USER, timeout=3)
    assert reply.text == "Écho : Bonjour <toi> & moi"
    assert reply.buttons == [[("Oui", "oui"), ("Non", "non")]]
    assert [m.message_id for m in fake.messages(USER)] == [update["message"]["message_id"] + 1]
    history = fake.history(USER)
    assert [(m.from_bot, m.text) for m in history] == [
        (False, "Bonjour <toi> & moi"),
        (True, "Écho : Bonjour <toi> & moi"),
    ]


async def test_command_entity_reaches_command_handler(
    fake: FakeTelegram, echo_app: Application
) -> None:
    update = await fake.send_text(USER, "/start@vecus_sandbox_bot code 42")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 24}]
    reply = await fake.next_reply(USER, timeout=3)
    assert reply.text == "Bienvenue args=code 42"
    assert reply.parse_mode == "HTML"
    assert reply.raw_text == "<b>Bienvenue</b> args=code 42"


async def test_press_answers_and_edits(fake: FakeTelegram, echo_app: Application) -> None:
    await fake.send_text(USER, "question")
    asked = await fake.next_reply(USER, timeout=3)
    await fake.press(USER, asked.message_id, asked.button("Non"))
    edited = await fake.next_reply(USER, timeout=3)
    assert edited.message_id == asked.message_id
    assert (edited.text, edited.edited, edited.buttons) == ("Vous avez répondu non.", True, [])
    await fake.wait_for(lambda: len(fake.callback_answers) == 1, timeout=3)
    answer = fake.callback_answers[0]
    assert (answer.text, answer.message_id, answer.data) == ("Choix : non", asked.message_id, "non")
    assert [m.text for m in fake.messages(USER)] == ["Vous avez répondu non."]
    with pytest.raises(SandboxError):  # no such button on the message any more
        await fake.press(USER, asked.message_id, "non")


# -- plain Bot calls -------------------------------------------------------------------------
async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "vecus_sandbox_bot")
    assert me.can_join_groups is True


async def test_wrong_token_and_unknown_method(fake: FakeTelegram) -> None:
    wrong = Bot("999:WRONG", base_url=fake.base_url)
    try:
        with pytest.raises(InvalidToken):
            await wrong.initialize()
    finally:
        await wrong.shutdown()
    assert await raw_call(fake, "getMe", token="999:WRONG") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert await raw_call(fake, "sendTelepathy") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    status, body = await raw_call(fake, "GETME")  # method names are case-insensitive
    assert status == 200 and body["result"]["username"] == "vecus_sandbox_bot"


async def test_long_poll_wakes_on_update(fake: FakeTelegram, bot: Bot) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await fake.send_text(USER, "tôt")

    started = time.perf_counter()
    task = asyncio.create_task(later())
    updates = await bot.get_updates(timeout=5)
    await task
    assert time.perf_counter() - started < 1.0
    assert [u.message.text for u in updates if u.message] == ["tôt"]


async def test_offset_confirms_and_redeliver_repeats_update_id(
    fake: FakeTelegram, bot: Bot
) -> None:
    first = await fake.send_text(USER, "un")
    second = await fake.send_text(USER, "deux")
    assert second["update_id"] > first["update_id"]
    got = await bot.get_updates(timeout=0)
    assert [u.update_id for u in got] == [first["update_id"], second["update_id"]]
    assert await bot.get_updates(offset=second["update_id"] + 1, timeout=0) == ()
    assert fake.pending_updates == []
    await fake.redeliver(first["update_id"])
    again = await bot.get_updates(offset=second["update_id"] + 1, timeout=0)
    assert [(u.update_id, u.message.text) for u in again] == [(first["update_id"], "un")]
    third = await fake.send_text(USER, "trois")
    assert third["update_id"] > second["update_id"]


async def test_allowed_updates_filter(fake: FakeTelegram, bot: Bot) -> None:
    await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    await fake.send_text(USER, "ignoré")
    assert await bot.get_updates(timeout=0) == ()
    await bot.get_updates(timeout=0, allowed_updates=[])
    await fake.send_text(USER, "reçu")
    assert [u.message.text for u in await bot.get_updates(timeout=0)] == ["reçu"]


async def test_two_pollers_conflict(fake: FakeTelegram, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    # a second bot process (PTB's own pool would queue a second call behind the first)
    assert await raw_call(fake, "getUpdates", timeout=0) == (200, {"ok": True, "result": []})
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_not_modified(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)
    sent = await bot.send_message(chat, "Question ?", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Question ?", chat, sent.message_id, reply_markup=KEYBOARD)
    status, body = await raw_call(
        fake,
        "editMessageReplyMarkup",
        chat_id=chat,
        message_id=sent.message_id,
        reply_markup=KEYBOARD.to_dict(),
    )
    assert status == 400 and body["description"] == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    # same text without the markup is a change: Telegram removes the keyboard
    await bot.edit_message_text("Question ?", chat, sent.message_id)
    assert fake.messages(chat)[0].buttons == []
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat, 999)


async def test_message_length_counts_parsed_text(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)
    await bot.send_message(chat, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
    assert fake.messages(chat)[-1].text == "&" * 4096
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(chat, "é" * 4097)
    status, body = await raw_call(fake, "sendMessage", chat_id=chat, text="  \n ")
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    assert len(fake.messages(chat)) == 1


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("<b>gras", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>bloc</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("Loyer < 500 €", "Unclosed start tag at byte offset 6"),
        ("Dupont & fils", "Character '&' must be escaped as &amp; (byte offset 7)"),
        ('<span class="x">?</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_bad_html_is_refused(fake: FakeTelegram, bot: Bot, text: str, detail: str) -> None:
    chat = await user_says(fake, bot)
    status, body = await raw_call(fake, "sendMessage", chat_id=chat, text=text, parse_mode="HTML")
    assert (status, body["description"]) == (400, f"Bad Request: can't parse entities: {detail}")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(chat, text, parse_mode="HTML")
    await bot.send_message(chat, html.escape(text), parse_mode="HTML")
    assert [m.text for m in fake.messages(chat)] == [text.strip()]


async def test_button_data_invalid(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)
    for data in ("x" * 65, "é" * 33):  # 65 and 66 bytes
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Trop", callback_data=data)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(chat, "Choisir", reply_markup=markup)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("Juste", callback_data="x" * 64)]])
    await bot.send_message(chat, "Choisir", reply_markup=ok)
    assert fake.messages(chat)[0].buttons == [[("Juste", "x" * 64)]]


async def test_chat_not_found_and_blocked(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "Bonjour")
    chat = await user_says(fake, bot)
    await fake.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(chat, "Rappel")
    updates = await bot.get_updates(timeout=0)
    member = updates[-1].my_chat_member
    assert member is not None and member.new_chat_member.status == "kicked"
    await fake.send_text(USER, "/start")  # writing again unblocks
    await bot.send_message(chat, "Re-bonjour")
    assert [m.text for m in fake.messages(chat)] == ["Re-bonjour"]


async def test_delete_message_twice(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)  # the user's message is message 1
    sent = await bot.send_message(chat, "Supprimez-moi")
    assert await bot.delete_message(chat, sent.message_id) is True
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(chat, sent.message_id)
    await bot.delete_message(chat, 1)  # the user's own message, for privacy
    assert fake.messages(chat) == []
    assert fake.deleted(chat) == [sent.message_id, 1]
    assert [(m.message_id, m.deleted) for m in fake.history(chat)] == [
        (1, True),
        (sent.message_id, True),
    ]


async def test_answer_callback_query_only_once(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)
    sent = await bot.send_message(chat, "Question", reply_markup=KEYBOARD)
    await fake.press(USER, sent.message_id, "oui")
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.message is not None
    assert (query.data, query.message.message_id) == ("oui", sent.message_id)
    assert await query.answer("Merci", show_alert=True) is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer("Encore")
    assert [(a.text, a.show_alert) for a in fake.callback_answers] == [("Merci", True)]
    forged = await fake.send_raw(
        {
            "callback_query": {
                "id": "forged-1",
                "from": {"id": USER, "is_bot": False, "first_name": "X"},
                "chat_instance": "1",
                "data": "admin:purge",
            }
        }
    )
    assert forged["update_id"] == update.update_id + 1
    assert await bot.answer_callback_query("forged-1") is True


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # retry_after type
async def test_flood_control_answers_429() -> None:
    async with (
        FakeTelegram(per_chat_per_second=3, global_per_second=5) as fake,
        Bot(fake.token, base_url=fake.base_url) as limited,
    ):
        for user in (1, 2, 3):
            await fake.send_text(user, "salut")
        for _ in range(3):
            await limited.send_message(1, "rapide")
        with pytest.raises(RetryAfter) as caught:
            await limited.send_message(1, "trop rapide")
        retry = caught.value.retry_after
        seconds = retry.total_seconds() if isinstance(retry, dtm.timedelta) else retry
        assert seconds >= 1
        await limited.send_message(2, "autre chat")  # per-chat limit: chat 2 is free
        await limited.send_message(3, "autre chat")
        status, body = await raw_call(fake, "sendMessage", chat_id=3, text="global")
        assert status == 429 and body["description"] == "Too Many Requests: retry after 1"
        assert body["parameters"] == {"retry_after": 1}
        assert fake.flood_hits == 2
        assert [m.text for m in fake.messages(1)] == ["rapide"] * 3


async def test_webhook_delivery_and_conflict(fake: FakeTelegram, bot: Bot) -> None:
    received: list[tuple[str | None, str, dict[str, Any]]] = []
    answers = iter([500, 200, 200])

    async def receive(request: web.Request) -> web.Response:
        received.append(
            (
                request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                request.headers["Content-Type"],
                await request.json(),
            )
        )
        return web.Response(status=next(answers))

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        assert await bot.set_webhook(url, secret_token="s3cr3t-Token_1") is True
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        first = await fake.send_text(USER, "un")
        second = await fake.send_text(USER, "deux")
        await fake.wait_for(lambda: len(received) == 3, timeout=3)
        assert [(secret, ctype) for secret, ctype, _ in received] == [
            ("s3cr3t-Token_1", "application/json")
        ] * 3
        assert [body["update_id"] for *_, body in received] == [
            first["update_id"],
            first["update_id"],
            second["update_id"],
        ]
        Update.de_json(received[-1][2], bot)
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (url, 0)
        assert info.last_error_message == (
            "Wrong response from the webhook: 500 Internal Server Error"
        )
        await bot.delete_webhook()
        assert fake.webhook is None
        assert await bot.get_updates(timeout=0) == ()
    finally:
        await runner.cleanup()


async def test_send_document_multipart(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)
    payload = "territoire;cas\nNîmes;3\n".encode()
    sent = await bot.send_document(
        chat, payload, filename="synthese.csv", caption="<i>Synthèse</i>", parse_mode="HTML"
    )
    assert sent.document is not None and sent.document.file_name == "synthese.csv"
    message = fake.messages(chat)[-1]
    assert message.document is not None
    assert (message.document.filename, message.document.data) == ("synthese.csv", payload)
    assert message.text == "Synthèse"
    method, params = fake.calls[-1]
    assert method == "sendDocument"
    assert params["document"] == {"filename": "synthese.csv", "size": len(payload)}
    again = await bot.send_document(chat, sent.document.file_id)  # re-send by file_id
    assert again.document is not None and again.document.file_id == sent.document.file_id


async def test_user_photo_fetched_with_get_file(fake: FakeTelegram, bot: Bot) -> None:
    picture = b"\xff\xd8\xff\xe0 not really a jpeg \xff\xd9"
    await fake.send_photo(USER, picture, caption="le courrier")
    (update,) = await bot.get_updates(timeout=0)
    assert update.message is not None and update.message.caption == "le courrier"
    file = await update.message.photo[-1].get_file()
    assert file.file_size == len(picture)
    assert bytes(await file.download_as_bytearray()) == picture
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_every_user_update_parses_in_ptb(fake: FakeTelegram, bot: Bot) -> None:
    made = [
        await fake.send_text(USER, "texte"),
        await fake.send_sticker(USER),
        await fake.send_document(
            USER, b"%PDF-1.4", filename="bail.pdf", mime_type="application/pdf"
        ),
        await fake.send_voice(USER),
        await fake.send_location(USER, 45.76, 4.83),
        await fake.send_contact(USER, "+33700000000"),
        await fake.send_text(USER, "/aide", chat_id=-100, chat_type="supergroup"),
    ]
    made.append(await fake.edit_text(USER, made[0]["message"]["message_id"], "texte corrigé"))
    ids = [u["update_id"] for u in made]
    assert ids == sorted(set(ids))
    updates = [Update.de_json(u, bot) for u in made]
    messages = [u.effective_message for u in updates]
    assert all(m is not None for m in messages)
    assert messages[1].sticker is not None and messages[1].sticker.emoji == "👍"
    assert messages[2].document is not None and messages[2].document.file_name == "bail.pdf"
    assert messages[3].voice is not None
    assert messages[4].location is not None and messages[4].location.latitude == 45.76
    assert messages[5].contact is not None and messages[5].contact.user_id == USER
    assert messages[6].chat.type == "supergroup" and messages[6].text == "/aide"
    assert updates[7].edited_message is not None
    assert updates[7].edited_message.text == "texte corrigé"
    assert [m.message_id for m in messages[:6]] == [1, 2, 3, 4, 5, 6]


async def test_commands_per_scope_and_language(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Commencer")])
    await bot.set_my_commands(
        [BotCommand("temoigner", "Raconter")],
        scope=BotCommandScopeAllPrivateChats(),
        language_code="fr",
    )
    assert fake.commands == {
        ("default", ""): [("start", "Commencer")],
        ("all_private_chats", "fr"): [("temoigner", "Raconter")],
    }
    got = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="fr")
    assert [c.command for c in got] == ["temoigner"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Témoigner", "x")])
    await bot.delete_my_commands()
    assert list(fake.commands) == [("all_private_chats", "fr")]


async def test_reply_markup_effects_and_chat_calls(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)
    await bot.send_chat_action(chat, "typing")
    first = await bot.send_message(
        chat,
        "Lien https://antidiscriminations.fr",
        disable_web_page_preview=True,
        reply_markup=ReplyKeyboardRemove(),
    )
    await bot.send_message(chat, "Réponse", reply_to_message_id=1)
    one, two = fake.messages(chat)
    assert (one.remove_keyboard, one.link_preview, one.message_id) == (
        True,
        False,
        first.message_id,
    )
    assert two.reply_to == 1
    assert (await bot.get_chat(chat)).first_name == f"User{USER}"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(chat, "x", reply_to_message_id=99)
    assert [name for name, _ in fake.calls][-4:] == [
        "sendMessage",
        "sendMessage",
        "getChat",
        "sendMessage",
    ]


async def test_wait_helpers(fake: FakeTelegram, bot: Bot) -> None:
    chat = await user_says(fake, bot)
    with pytest.raises(TimeoutError):
        await fake.wait_for_messages(chat, 1, timeout=0.05)

    async def reply_twice() -> None:
        await asyncio.sleep(0.02)
        await bot.send_message(chat, "un")
        sent = await bot.send_message(chat, "deux")
        await bot.delete_message(chat, sent.message_id)

    task = asyncio.create_task(reply_twice())
    assert (await fake.next_reply(chat, timeout=2)).text == "un"
    assert (await fake.next_reply(chat, timeout=2)).text == "deux"
    await task
    sent = await fake.wait_for_messages(chat, 2, timeout=1)
    assert [(m.text, m.deleted) for m in sent] == [("un", False), ("deux", True)]


async def test_control_api(fake: FakeTelegram, bot: Bot) -> None:
    base = f"http://127.0.0.1:{fake.port}/sandbox"
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/send", json={"user_id": 7, "text": "/start"}) as r:
            assert r.status == 200 and (await r.json())["result"]["message"]["text"] == "/start"
        (started,) = await bot.get_updates(timeout=0)
        assert started.message is not None and started.message.text == "/start"
        await bot.send_message(7, "Bienvenue", reply_markup=KEYBOARD)
        async with session.get(f"{base}/messages", params={"chat_id": "7"}) as r:
            (message,) = (await r.json())["result"]
        assert message["text"] == "Bienvenue" and message["buttons"][0][0] == ["Oui", "oui"]
        async with session.post(
            f"{base}/press",
            json={"user_id": 7, "message_id": message["message_id"], "callback_data": "absent"},
        ) as r:
            assert r.status == 400


def test_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_html('😀 <b>gras</b> <a href="https://x.fr/?a=1&amp;b=2">lien</a>')
    assert text == "😀 gras lien"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "offset": 8, "length": 4, "url": "https://x.fr/?a=1&b=2"},
    ]


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_escaped_text_always_parses_back(text: str) -> None:
    assert parse_html(html.escape(text)) == (text, [])
