"""The local `chat` sandbox (for now: prepares the data folder and says what is missing)."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from storage import Store
from storage.keys import keys_exist


def chat(settings: Settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not keys_exist(settings.data_dir):
        print(f"Dossier de données prêt : {settings.data_dir}.")
        print(
            "Il manque les clés : lancez « python -m bot keys init --private-key CHEMIN », "
            "puis renseignez TELEGRAM_BOT_TOKEN pour lancer le bot."
        )
        return 1

    async def check() -> None:
        store = await Store.open(settings.data_dir, tz=settings.timezone)
        await store.close()

    asyncio.run(check())
    print("Base et clés prêtes. Il manque TELEGRAM_BOT_TOKEN pour lancer le bot sur Telegram.")
    return 1
