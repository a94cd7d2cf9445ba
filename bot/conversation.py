"""The one handler of private messages: update -> flow event -> engine -> draft saved -> replies
sent. One person's updates are handled one at a time; different people in parallel.

The draft (the flow's state and the ids of the conversation's messages) is saved before the
answer is sent: a crash loses at most an answer, never a step already taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from limits import RateLimitItemPerMinute, storage, strategies
from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.convert import to_event
from bot.render import render_keyboard, render_text
from bot.settings import Settings
from flows import Engine, Reply, StoreServices, build_engine
from flows.i18n import lang_of, text
from nlp import NlpWorker
from storage import Store

log = logging.getLogger(__name__)
MAX_MESSAGE = 4096
KEEP_MESSAGE_IDS = 400


def split_text(body: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut a long text at line ends so that each part fits in one Telegram message."""
    parts, current = [], ""
    for line in body.split("\n"):
        while len(line) > limit:
            parts.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) + 1 > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    parts.append(current)
    return [p for p in parts if p.strip()] or [body[:limit]]


class Conversations:
    def __init__(self, store: Store, nlp: NlpWorker, settings: Settings) -> None:
        self.store, self.nlp, self.settings = store, nlp, settings
        self.engine: Engine = build_engine()
        self.locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self.flood = RateLimitItemPerMinute(settings.flood_per_minute)
        self.warning = RateLimitItemPerMinute(1)
        self.ttl = timedelta(days=settings.draft_days)

    async def handle(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or user.is_bot:
            return
        query = update.callback_query
        if query is not None:
            with contextlib.suppress(TelegramError):
                await query.answer()
        if chat.type != ChatType.PRIVATE:
            await self.refuse_group(update, context)
            return
        if not self.limiter.hit(self.flood, "user", str(user.id)):
            if self.limiter.hit(self.warning, "warned", str(user.id)):
                await context.bot.send_message(
                    chat.id, text("error.flood", lang_of(user.language_code))
                )
            return
        event = await to_event(update)
        if event is None:
            return
        async with self.locks[user.id]:
            await self._step(update, context, event, user.id, chat.id)
        if not self.locks[user.id].locked():
            self.locks.pop(user.id, None)

    async def _step(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, event: Any, user: int, chat: int
    ) -> None:
        draft = await self.store.drafts.load(user) or {}
        state = draft.get("state")
        messages: list[int] = draft.get("messages", [])
        if update.message is not None:
            messages.append(update.message.message_id)
        services = StoreServices(self.store, self.nlp, user)
        new_state, replies = await self.engine.step(state, event, services)
        lang = (new_state or state or {}).get("lang") or lang_of(event.lang)
        log.info(
            "step kind=%s node=%s replies=%d",
            event.kind,
            (new_state or {}).get("node"),
            len(replies),
        )
        if new_state is None:
            await self.store.drafts.delete(user)
        else:
            await self.store.drafts.save(user, {"state": new_state, "messages": messages}, self.ttl)
        sent = await self.send(
            context, chat, update.callback_query and update.callback_query.message, replies, lang
        )
        if any(r.action == "forget_chat" for r in replies):
            await self.forget(context, chat, messages + sent)
            await context.bot.send_message(chat, render_text(Reply("receipt.forgotten"), lang))
        elif new_state is not None and sent:
            messages = (messages + sent)[-KEEP_MESSAGE_IDS:]
            await self.store.drafts.save(user, {"state": new_state, "messages": messages}, self.ttl)

    async def send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat: int,
        pressed: Message | Any,
        replies: list[Reply],
        lang: str,
    ) -> list[int]:
        """Send the replies; return the ids of the messages sent."""
        sent: list[int] = []
        if isinstance(pressed, Message) and not any(r.replace for r in replies):
            with contextlib.suppress(TelegramError):  # old buttons go away once answered
                await pressed.edit_reply_markup(reply_markup=None)
        for reply in replies:
            if reply.action:
                continue
            body = render_text(reply, lang)
            markup = render_keyboard(reply, lang)
            if reply.replace and isinstance(pressed, Message) and len(body) <= MAX_MESSAGE:
                try:
                    await pressed.edit_text(body, reply_markup=markup)
                    continue
                except BadRequest as exc:
                    if "not modified" in str(exc).lower():
                        continue
            parts = split_text(body)
            for n, part in enumerate(parts):
                message = await context.bot.send_message(
                    chat, part, reply_markup=markup if n == len(parts) - 1 else None
                )
                sent.append(message.message_id)
        return sent

    async def forget(self, context: ContextTypes.DEFAULT_TYPE, chat: int, ids: list[int]) -> None:
        """Delete the conversation's messages from the chat (the person asked: shared phone)."""
        unique = sorted(set(ids))
        for start in range(0, len(unique), 100):
            try:
                await context.bot.delete_messages(chat, unique[start : start + 100])
            except TelegramError:
                for message_id in unique[start : start + 100]:
                    with contextlib.suppress(TelegramError):
                        await context.bot.delete_message(chat, message_id)

    async def refuse_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In a group, say why nothing is collected there (at most once in ten minutes)."""
        chat = update.effective_chat
        assert chat is not None
        if chat.type == ChatType.CHANNEL or update.message is None:
            return
        key = RateLimitItemPerMinute(1, multiples=10)
        if self.limiter.hit(key, "group", str(chat.id)):
            lang = lang_of(update.effective_user.language_code if update.effective_user else None)
            with contextlib.suppress(Forbidden, BadRequest):
                await update.message.reply_text(text("error.group", lang))
