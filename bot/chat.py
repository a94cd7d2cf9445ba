"""`python -m bot chat`: talk to the real bot in this terminal, without Telegram or a token.

The local Bot API (bot.sandbox) and the bot run in this process; what you type goes to the bot
as a Telegram user would send it, and its answers are printed with numbered buttons. Data and
demo keys live in a folder of their own (VECUS_DATA_DIR/sandbox), never mixed with real data.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from dataclasses import replace
from pathlib import Path

from bot.sandbox import FakeTelegram, SentMessage
from bot.settings import Settings
from storage import init_keys
from storage.keys import keys_exist

USER = 4242
HELP = """Écrivez comme dans Telegram. Tapez le numéro d'un bouton pour l'appuyer.
/photo CHEMIN ou /document CHEMIN envoie un fichier ; /quitter pour sortir."""


def chat(settings: Settings) -> int:
    data_dir = settings.data_dir / "sandbox"
    if not keys_exist(data_dir):
        private = data_dir / "demo-controller-private.pem"
        init_keys(data_dir, private)
        print(
            f"Bac à sable : clés de démonstration créées dans {data_dir} (clé privée : {private})."
        )
    try:
        asyncio.run(_chat(replace(settings, data_dir=data_dir)))
    except (KeyboardInterrupt, EOFError):
        print()
    return 0


def plain(body: str) -> str:
    """The bot's HTML as terminal text."""
    body = re.sub(r"</?(b|strong)>", "*", body)
    body = re.sub(r"</?(i|em)>", "_", body)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def show(message: SentMessage, seen: dict[int, str]) -> list[tuple[str, str]]:
    if seen.get(message.message_id) == message.text and not message.buttons:
        return []  # an answered question losing its buttons: nothing new to read
    seen[message.message_id] = message.text
    print(f"\n🤖 {plain(message.text)}")
    buttons = [b for row in message.buttons for b in row]
    for n, (label, _) in enumerate(buttons, start=1):
        print(f"   [{n}] {label}")
    return [(label, data) for label, data in buttons if data]


async def _chat(settings: Settings) -> None:
    from bot.app import build_application, configure_logging

    configure_logging("WARNING")
    async with FakeTelegram() as fake:
        local = replace(
            settings, token=fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        application = build_application(local)
        await application.initialize()
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(poll_interval=0)
        print(f"Vécus, bac à sable local (aucun message ne quitte cette machine).\n{HELP}")
        buttons: list[tuple[str, str]] = []
        button_message = 0
        seen: dict[int, str] = {}
        loop = asyncio.get_running_loop()
        try:
            await fake.send_text(USER, "/start")
            while True:
                first = True
                while True:
                    try:
                        message = await fake.next_reply(USER, timeout=30 if first else 0.8)
                    except TimeoutError:
                        break
                    first = False
                    found = show(message, seen)
                    if found:
                        buttons, button_message = found, message.message_id
                line = await loop.run_in_executor(None, _read)
                if line is None or line.strip() in ("/quitter", "/quit"):
                    break
                await _send(fake, line.strip(), buttons, button_message)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.post_shutdown(application)
            await application.shutdown()


def _read() -> str | None:
    try:
        return input("\nvous> ")
    except EOFError:
        return None


async def _send(fake: FakeTelegram, line: str, buttons: list[tuple[str, str]], on: int) -> None:
    if line.isdigit() and 1 <= int(line) <= len(buttons):
        await fake.press(USER, on, buttons[int(line) - 1][1])
    elif line.startswith(("/photo ", "/document ")):
        kind, _, path = line.partition(" ")
        file = Path(path).expanduser()
        if not file.is_file():
            print(f"Fichier introuvable : {file}", file=sys.stderr)
            return
        if kind == "/photo":
            await fake.send_photo(USER, data=file.read_bytes())
        else:
            await fake.send_document(USER, data=file.read_bytes(), filename=file.name)
    else:
        await fake.send_text(USER, line or " ")
