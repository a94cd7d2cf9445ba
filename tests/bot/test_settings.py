"""Settings: sensible defaults, `.env` support, one clear sentence per wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import VARIABLES, SettingsError, load_settings


def test_defaults_need_nothing() -> None:
    s = load_settings({}, env_file=None)
    assert s.token is None and s.data_dir == Path("data")
    assert str(s.timezone) == "Europe/Paris" and s.min_count == 3


def test_env_file_then_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("VECUS_MIN_COUNT=5\nVECUS_DATA_DIR=/srv/vecus\n")
    s = load_settings({"VECUS_MIN_COUNT": "4"}, env_file=env)
    assert s.min_count == 4 and s.data_dir == Path("/srv/vecus")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("VECUS_MIN_COUNT", "zero"),
        ("VECUS_MIN_COUNT", "0"),
        ("VECUS_TIMEZONE", "Europe/Atlantis"),
        ("TELEGRAM_BASE_URL", "127.0.0.1:8081"),
        ("VECUS_DEFAULT_LANGUAGE", "de"),
        ("VECUS_ADMIN_IDS", "12,abc"),
        ("VECUS_NLP_TIMEOUT", "-1"),
        ("VECUS_WEBHOOK_PORT", "99999"),
    ],
)
def test_wrong_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings({name: value}, env_file=None)
    message = str(err.value)
    assert message.startswith(name) and message.endswith(".") and "\n" not in message


def test_secrets_are_not_echoed() -> None:
    with pytest.raises(SettingsError) as err:
        load_settings({"TELEGRAM_BOT_TOKEN": "leaked-token"}, env_file=None)
    assert "leaked-token" not in str(err.value)


def test_webhook_needs_its_secret() -> None:
    with pytest.raises(SettingsError, match="VECUS_WEBHOOK_SECRET"):
        load_settings({"VECUS_WEBHOOK_URL": "https://example.org/hook"}, env_file=None)


def test_env_example_lists_every_variable() -> None:
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    for name in VARIABLES:
        assert f"{name}=" in example, name
