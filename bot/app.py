"""The python-telegram-bot application: one explicit registration function, services opened in
post_init and closed in post_shutdown, polling or webhook."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from telegram import BotCommand, BotCommandScopeAllPrivateChats, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.conversation import Conversations
from bot.jobs import schedule
from bot.settings import Settings, SettingsError
from flows.i18n import lang_of, text
from nlp import NlpWorker
from storage import Store, load_keys

log = logging.getLogger(__name__)
COMMANDS = {
    "fr": [("start", "commands.start"), ("suivi", "commands.suivi"), ("aide", "commands.aide"),
           ("langue", "commands.langue"), ("annuler", "commands.annuler")],
    "en": [("start", "commands.start"), ("followup", "commands.suivi"), ("help", "commands.aide"),
           ("language", "commands.langue"), ("cancel", "commands.annuler")],
}  # fmt: skip


def configure_logging(level: str) -> None:
    """Logs carry event kinds and counts; never texts, ids or keys. httpx would log URLs with
    the bot token in them: it is kept at WARNING."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def build_application(settings: Settings, *, nlp: NlpWorker | None = None) -> Application:
    assert settings.token, "a token is needed to build the application"
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=settings.timezone,
            )
        )
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_rate, max_retries=3))
        .concurrent_updates(True)  # one person at a time is enforced by Conversations' locks
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    if settings.base_file_url:
        builder = builder.base_file_url(settings.base_file_url)
    application = builder.build()
    application.bot_data["settings"] = settings
    application.bot_data["nlp"] = nlp or NlpWorker(settings.nlp_timeout)
    return application


def register(application: Application, conversations: Conversations) -> None:
    """Every update goes to the same handler: flows decide, in private chats only."""
    updates = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    application.add_handler(MessageHandler(updates, conversations.handle))
    application.add_handler(CallbackQueryHandler(conversations.handle))
    application.add_error_handler(_on_error)


async def _post_init(application: Application) -> None:
    settings: Settings = application.bot_data["settings"]
    nlp: NlpWorker = application.bot_data["nlp"]
    store = await Store.open(settings.data_dir, tz=settings.timezone)
    nlp.start()
    application.bot_data["store"] = store
    register(application, Conversations(store, nlp, settings))
    schedule(application)
    for lang, commands in COMMANDS.items():
        await application.bot.set_my_commands(
            [BotCommand(name, text(key, lang)) for name, key in commands],
            scope=BotCommandScopeAllPrivateChats(),
            language_code=None if lang == "fr" else lang,
        )
    log.info("bot ready")


async def _post_shutdown(application: Application) -> None:
    store: Store | None = application.bot_data.get("store")
    if store is not None:
        await store.close()
    application.bot_data["nlp"].close()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log where it failed, never the exception's message: it could quote what was said."""
    error = context.error
    frames = traceback.extract_tb(error.__traceback__)[-4:] if error else []
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))
    log.error("update failed: %s at %s", type(error).__name__, where)
    if isinstance(update, Update) and update.effective_chat is not None:
        lang = update.effective_user.language_code if update.effective_user else None
        try:
            await context.bot.send_message(
                update.effective_chat.id, text("error.internal", lang_of(lang))
            )
        except Exception:  # the error handler must not fail in turn
            log.warning("could not tell the person about the failure")


def run(settings: Settings, *, webhook: bool = False) -> int:
    configure_logging(settings.log_level)
    load_keys(settings.data_dir)  # fail now, with one sentence, if the keys are not there
    if not settings.token:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN n'est pas défini : sans jeton, essayez « python -m bot chat »."
        )
    application = build_application(settings)
    if webhook:
        if not settings.webhook_url or not settings.webhook_secret:
            raise SettingsError(
                "Le mode webhook demande VECUS_WEBHOOK_URL et VECUS_WEBHOOK_SECRET."
            )
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            secret_token=settings.webhook_secret,
            webhook_url=settings.webhook_url,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
