"""Callback data is validated both ways; replies render as safe HTML with their keyboards."""

from __future__ import annotations

import pytest

from bot.conversation import split_text
from bot.convert import callback_data, parse_callback
from bot.render import render_keyboard, render_text
from flows import Choice, Reply


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("17:g:origine", (17, "g:origine")),
        ("3:nav:back", (3, "nav:back")),
        ("x:yes", (None, "")),
        ("17:", (None, "")),
        ("", (None, "")),
        (None, (None, "")),
        ("1:" + "é" * 40, (None, "")),
        ("9" * 70, (None, "")),
    ],
)
def test_callback_data_is_parsed_strictly(data: str | None, expected: tuple) -> None:
    assert parse_callback(data) == expected


def test_callback_data_never_exceeds_telegram_limit() -> None:
    assert callback_data(12, "g:caracteristiques_genetiques") == "12:g:caracteristiques_genetiques"
    with pytest.raises(ValueError):
        callback_data(1, "x" * 70)


def test_parameters_are_escaped_but_catalogue_markup_is_kept() -> None:
    reply = Reply("review.text", {"summary": "<script>alert(1)</script> & co"})
    html = render_text(reply, "fr")
    assert "&lt;script&gt;" in html and "&amp; co" in html and "<script>" not in html


def test_keyboard_ticks_columns_and_navigation_row() -> None:
    reply = Reply(
        "grounds.done",
        choices=(
            Choice("g:age", "ground.age", selected=True),
            Choice("g:sante", "ground.sante", selected=False),
            Choice("Lille", "Lille", literal=True),
            Choice("nav:back", "nav.back"),
        ),
        columns=2,
        turn=5,
    )
    rows = render_keyboard(reply, "fr").inline_keyboard
    assert [[b.text for b in row] for row in rows] == [
        ["☑️ Âge", "☐ Santé"],
        ["Lille"],
        ["⬅️ Retour"],
    ]
    assert rows[0][0].callback_data == "5:g:age"


def test_long_texts_are_split_at_line_ends() -> None:
    body = "\n".join(f"ligne {n} " + "x" * 90 for n in range(100))
    parts = split_text(body)
    assert len(parts) == 3 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == body
    assert split_text("y" * 9000) == ["y" * 4096, "y" * 4096, "y" * 808]
