"""Flow replies to Telegram messages: catalogue text as HTML with escaped parameters, and
inline keyboards whose buttons carry the question's turn."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.convert import callback_data
from flows import Reply
from flows.i18n import text

TICKED, UNTICKED = "☑️ ", "☐ "


def render_text(reply: Reply, lang: str) -> str:
    """The catalogue's HTML; `text` escapes the parameters that are not catalogue text."""
    return text(reply.key, lang, **reply.params)


def render_keyboard(reply: Reply, lang: str) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    buttons = []
    for choice in reply.choices:
        label = choice.label if choice.literal else text(choice.label, lang)
        if choice.selected is not None:
            label = (TICKED if choice.selected else UNTICKED) + label
        buttons.append(
            InlineKeyboardButton(label[:64], callback_data=callback_data(reply.turn, choice.value))
        )
    columns = max(1, reply.columns)
    rows = [buttons[i : i + columns] for i in range(0, len(buttons), columns)]
    # Navigation (back, skip) gets a row of its own, at the bottom.
    nav = [b for b in buttons if b.callback_data.split(":", 1)[1].startswith("nav:")]
    if nav:
        rows = [[b for b in row if b not in nav] for row in rows]
        rows = [row for row in rows if row] + [nav]
    return InlineKeyboardMarkup(rows)
