"""End to end: the real bot process, over HTTP, against the local Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox import FakeTelegram
from storage import ServerKeys, Store
from storage.keys import load_unsealer
from storage.offline import read_narratives
from storage.store import db_path
from tests.bot.e2e import STORY, BotProcess, Resident, tell

pytestmark = pytest.mark.e2e


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(per_chat_per_second=50, global_per_second=2000) as server:
        yield server


@pytest.fixture
async def territory(keys: ServerKeys, data_dir: Path) -> str:
    store = await Store.open(data_dir, keys=keys)
    lyon = await store.territories.create("lyon", "Métropole de Lyon", "Lyon metropolitan area")
    await store.territories.add_organisation(
        lyon.id, "association", "Maison des potes Lyon", "04 00 00 00 00"
    )
    await store.close()
    return lyon.id


@pytest.fixture
async def bot(
    fake: FakeTelegram, data_dir: Path, territory: str, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    process = BotProcess(fake, data_dir, tmp_path / "bot.log")
    await process.start()
    yield process
    process.stop()


async def _journeys(data_dir: Path) -> int:
    store = await Store.open(data_dir)
    try:
        return await store.journeys.count()
    finally:
        await store.close()


async def test_a_resident_tells_reads_back_and_deletes(
    fake: FakeTelegram, bot: BotProcess, data_dir: Path, private_key_path: Path, tmp_path: Path
) -> None:
    resident = Resident(fake, 7001)
    code = await tell(resident)
    everything = resident.text(resident.seen)
    assert "Nom, prénom" in everything  # the suggested ground, with the words that made it
    assert "Maison des potes Lyon" in everything and "39 28" in everything
    # What the coordinators could read was shown before consent, without the personal data.
    excerpt = next(m.text for m in resident.seen if m.text and "sans noms, lieux" in m.text)
    assert "Karim" not in excerpt and "06 12" not in excerpt

    rows = read_narratives(db_path(data_dir), load_unsealer([private_key_path]))
    assert [r["narrative"] for r in rows] == [STORY]  # sealed, and whole
    assert rows[0]["grounds"] == "patronyme" and rows[0]["territory"] == "lyon"

    await resident.press("Terminer")
    readback = resident.text(await resident.say(f"/suivi {code.lower()}"))
    assert "Premier contact" in readback and "Nom, prénom" in readback
    assert "fermé à clé" in readback and "Karim" not in readback
    await resident.press("Tout effacer")
    done = resident.text(await resident.press("Oui, tout effacer"))
    assert "effacé pour de bon" in done
    assert await _journeys(data_dir) == 0
    again = resident.text(await resident.say(f"/suivi {code}"))
    assert "Je ne trouve pas ce code" in again

    log = (tmp_path / "bot.log").read_text()
    assert "bot ready" in log
    for secret in ("Karim", "déjà loué", "7001", code, fake.token.split(":")[1]):
        assert secret not in log


async def test_the_bot_killed_mid_conversation_resumes_where_it_was(
    fake: FakeTelegram, bot: BotProcess, data_dir: Path
) -> None:
    resident = Resident(fake, 7002)
    await resident.say("/start")
    await resident.press("Oui, je commence")
    await resident.press("À moi")
    await resident.press("Lyon")
    await resident.press("Logement social")
    await resident.press("Commission (CALEOL)")
    await resident.press("2025")
    bot.kill()  # SIGKILL: no goodbye, no flush
    await bot.start()
    # The month question asked before the crash still works after it.
    assert "Qui était en face" in resident.text(await resident.press("mars"))
    await resident.press("Commission d'attribution")
    await resident.say(
        "La présidente a dit qu'avec le voile ce serait compliqué dans cette résidence."
    )
    await resident.press("C'est tout")
    await resident.press("Valider")
    await resident.press("clairement")
    for _ in range(3):
        await resident.press("Passer")
    await resident.press("Non merci")
    await resident.press("seulement les chiffres")
    review = resident.text(resident.seen[-1:])
    assert "Commission (CALEOL)" in review and "mars 2025" in review and "Religion" in review
    await resident.press("Envoyer")
    assert await _journeys(data_dir) == 1


async def test_the_same_update_twice_is_stored_once(
    fake: FakeTelegram, bot: BotProcess, data_dir: Path
) -> None:
    resident = Resident(fake, 7003)
    await tell(resident, optional=False)
    assert resident.last_update is not None  # the press on "Envoyer"
    await fake.redeliver(resident.last_update["update_id"])
    assert await resident.replies(first_timeout=3) == []  # nothing said twice
    assert await _journeys(data_dir) == 1


async def test_fifty_residents_at_the_same_time(
    fake: FakeTelegram, bot: BotProcess, data_dir: Path
) -> None:
    residents = [Resident(fake, 8000 + n) for n in range(50)]
    codes = await asyncio.gather(
        *(tell(r, f"{STORY} ({n})", optional=False) for n, r in enumerate(residents))
    )
    assert len(set(codes)) == 50
    assert await _journeys(data_dir) == 50


async def test_every_kind_of_bad_input_gets_a_kind_answer(
    fake: FakeTelegram, bot: BotProcess, data_dir: Path
) -> None:
    r = Resident(fake, 7004)
    await r.say("/start")
    await r.press("Oui, je commence")
    consent_question = r.question
    await r.press("À moi")
    checks = [
        (fake.send_sticker(7004), "stickers"),
        (fake.send_voice(7004), "vocaux"),
        (fake.send_location(7004), "position"),
        (fake.send_contact(7004), "contacts partagés"),
        (fake.send_photo(7004), "je ne l'ai pas gardée"),
        (fake.send_document(7004, data=b"x", filename="a.txt"), "je ne l'ai pas gardé"),
        (fake.send_text(7004, "😡😡😡"), "utilisez les boutons"),
        (fake.send_text(7004, "/nimportequoi"), "Je ne connais pas la commande"),
    ]
    for action, expected in checks:
        await action
        answer = r.text(await r.replies())
        assert expected in answer, (expected, answer)
        assert "territoire" in answer  # and the question is asked again
    # An old button, and forged ones: a kind answer, nothing changes.
    assert consent_question is not None
    await fake.forge_press(7004, consent_question.message_id, consent_question.buttons[0][0][1])
    assert "ancien message" in r.text(await r.replies())
    turn = r.question.buttons[0][0][1].split(":")[0]
    await fake.forge_press(7004, r.question.message_id, f"{turn}:evil")
    assert "pas compris ce bouton" in r.text(await r.replies())
    await fake.forge_press(7004, r.question.message_id, "x" * 64)
    assert "ancien message" in r.text(await r.replies())
    # In the story, a photo is kept (sealed); emoji alone and an edit are explained.
    await r.press("Lyon")
    await r.press("Location privée")
    await r.press("Visite")
    await r.press("Je ne sais plus")
    await r.press("Passer")
    await r.say("😡")
    assert "pas trouvé de mots" in r.text(r.seen[-1:])
    await fake.send_photo(7004, data=b"\x89PNG fake refusal letter")
    assert "gardé chiffré" in r.text(await r.replies())
    # Telegram cuts a text over 4,096 characters into several messages: all parts are kept.
    long = "Le propriétaire a dit pas de noirs ici. " * 200  # 8,000 characters
    update = await fake.send_text(7004, long[:4096])
    await r.replies()
    await fake.send_text(7004, long[4096:])
    await r.replies()
    await fake.edit_text(7004, update["message"]["message_id"], "autre version")
    assert "modifié un message" in r.text(await r.replies())
    await r.press("C'est tout")
    assert "Origine" in r.text(r.seen[-2:])


async def test_in_a_group_nothing_is_stored(
    fake: FakeTelegram, bot: BotProcess, data_dir: Path
) -> None:
    await fake.send_text(7005, "/start", chat_id=-100555, chat_type="group")
    await fake.send_text(
        7005, "Je veux raconter mon histoire de logement", chat_id=-100555, chat_type="group"
    )
    answers = await fake.wait_for_messages(-100555, 1)
    assert "conversation privée" in answers[0].text
    await asyncio.sleep(1)
    store = await Store.open(data_dir)
    try:
        assert (await store.db.fetchone("SELECT COUNT(*) FROM drafts"))[0] == 0
        assert await store.journeys.count() == 0
    finally:
        await store.close()


async def test_webhook_mode_with_its_secret(
    fake: FakeTelegram, data_dir: Path, territory: str, tmp_path: Path
) -> None:
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    process = BotProcess(
        fake, data_dir, tmp_path / "bot.log", "--webhook",
        VECUS_WEBHOOK_URL=url, VECUS_WEBHOOK_SECRET="s3cret-Token_1",
        VECUS_WEBHOOK_LISTEN="127.0.0.1", VECUS_WEBHOOK_PORT=str(port),
    )  # fmt: skip
    await process.start()
    try:
        assert fake.webhook is not None and fake.webhook.url == url
        resident = Resident(fake, 7006)
        assert "Êtes-vous d'accord" in resident.text(await resident.say("/start"))
        async with aiohttp.ClientSession() as http:
            forged = {
                "update_id": 10**9,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": 1, "type": "private"},
                    "text": "hi",
                },
            }
            async with http.post(url, json=forged) as answer:
                assert answer.status == 403  # no secret: refused
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with http.post(url, json=forged, headers=headers) as answer:
                assert answer.status == 403
        assert "token" not in url and fake.token not in url
    finally:
        process.stop()


async def test_flooding_gets_one_warning_then_calm(
    fake: FakeTelegram, data_dir: Path, territory: str, tmp_path: Path
) -> None:
    process = BotProcess(fake, data_dir, tmp_path / "bot.log", VECUS_FLOOD_PER_MINUTE="5")
    await process.start()
    try:
        for n in range(12):
            await fake.send_text(7007, f"message {n}")
        await asyncio.sleep(3)
        texts = [m.text or "" for m in fake.history(7007) if m.from_bot]
        assert sum("très vite" in t for t in texts) == 1
        assert len(texts) <= 5 + 1  # at most one answer per allowed message, plus the warning
    finally:
        process.stop()
