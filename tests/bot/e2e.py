"""End-to-end harness: the real bot process (`python -m bot run`) over HTTP against the local
Bot API of bot.sandbox, and residents who talk to it by pressing buttons by their label."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.sandbox import FakeTelegram, SentMessage

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    def __init__(
        self, fake: FakeTelegram, data_dir: Path, log: Path, *args: str, **env: str
    ) -> None:
        self.fake, self.data_dir, self.log = fake, data_dir, log
        self.args, self.env = args, env
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VECUS_", "TELEGRAM_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=self.fake.token,
            TELEGRAM_BASE_URL=self.fake.base_url,
            TELEGRAM_BASE_FILE_URL=self.fake.base_file_url,
            VECUS_DATA_DIR=str(self.data_dir),
            VECUS_LOG_LEVEL="INFO",
            VECUS_TELEGRAM_RATE="1000",
            # The first story waits for the worker to load spaCy; on a busy machine that can
            # pass the 15 s default, and the story would go on without suggestions.
            VECUS_NLP_TIMEOUT="120",
        )
        env.update(self.env)
        ready = "setWebhook" if "--webhook" in self.args else "getUpdates"
        before = self._count(ready)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", *self.args],
                cwd=ROOT, env=env, stdout=out, stderr=out,
            )  # fmt: skip
        # Ready when it polls (or sets its webhook) after having set its commands.
        await self.fake.wait_for(lambda: self._count(ready) > before, timeout=60)

    def _count(self, method: str) -> int:
        return sum(1 for name, _ in self.fake.calls if name == method)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Resident:
    """A person in a private chat with the bot."""

    def __init__(self, fake: FakeTelegram, user: int) -> None:
        self.fake, self.user = fake, user
        self.question: SentMessage | None = None
        self.seen: list[SentMessage] = []
        self.last_update: dict | None = None

    async def replies(
        self, first_timeout: float = 30.0, *, question: bool = False
    ) -> list[SentMessage]:
        """The bot's answer: everything up to its next question (a message with buttons), or
        up to a second of silence. With `question`, one is sure to come, and a longer pause
        after the bot's first words does not end the answer (fifty people at once on two
        cores)."""
        out: list[SentMessage] = []
        while True:
            try:
                message = await self.fake.next_reply(
                    self.user, timeout=first_timeout if question or not out else 1.0
                )
            except TimeoutError:
                if question:
                    raise AssertionError(f"no question came after {out}") from None
                break
            out.append(message)
            if message.buttons:
                self.question = message
                break
        self.seen += out
        return out

    async def say(self, text: str, *, question: bool = False) -> list[SentMessage]:
        await self.fake.send_text(self.user, text)
        return await self.replies(question=question)

    async def press(self, label: str, *, question: bool = False) -> list[SentMessage]:
        """Press the button of the last question whose label contains `label`."""
        assert self.question is not None, "no question to answer"
        for row in self.question.buttons:
            for text, data in row:
                if label.casefold() in text.casefold() and data:
                    self.last_update = await self.fake.press(
                        self.user, self.question.message_id, data
                    )
                    return await self.replies(question=question)
        raise AssertionError(f"no button {label!r} in {self.question.buttons}")

    def text(self, messages: list[SentMessage]) -> str:
        return "\n".join(m.text or "" for m in messages)


STORY = (
    "Bonjour. J'ai appelé l'agence pour le T2. Quand j'ai donné mon nom au téléphone, "
    "la dame a dit que c'était déjà loué. Mon collègue Karim Benali a rappelé une heure après "
    "avec un autre nom et on lui a proposé une visite. Mon numéro : 06 12 34 56 78."
)


async def tell(resident: Resident, story: str = STORY, *, optional: bool = True) -> str:
    """A whole testimony through the buttons; returns the receipt code."""
    await resident.say("/start", question=True)
    await resident.press("Oui, je commence", question=True)
    await resident.press("À moi", question=True)
    if resident.question and "territoire" in (resident.question.text or ""):
        await resident.press("Lyon", question=True)
    await resident.press("Location privée", question=True)
    await resident.press("Premier contact", question=True)
    await resident.press("Je ne sais plus", question=True)
    await resident.press("Agence immobilière", question=True)
    if resident.question and "organisme" in (resident.question.text or ""):
        await resident.press("Je préfère ne pas dire", question=True)
    await resident.say(story, question=True)
    await resident.press("C'est tout", question=True)
    await resident.press("Valider", question=True)
    await resident.press("sous-entendu", question=True)
    if optional:
        await resident.press("Passer", question=True)  # household
        await resident.press("Non", question=True)  # qpv
        await resident.press("C'est tout", question=True)  # reported
        await resident.press("Non merci", question=True)  # contact
        await resident.press("Oui, elles peuvent", question=True)  # excerpt
    else:
        for _ in range(3):
            await resident.press("Passer", question=True)
        await resident.press("Non merci", question=True)
        await resident.press("seulement les chiffres", question=True)
    sent = await resident.press("Envoyer")
    code = next(m.text for m in sent if m.text and "code personnel" in m.text)
    return code.split("code personnel :")[1].split()[0]
