"""Settings from the environment and an optional `.env` file (see `.env.example`).

A wrong value stops start-up with one sentence naming the variable. After `keys init`, only
TELEGRAM_BOT_TOKEN and VECUS_DATA_DIR matter; everything else has a sensible default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values


class SettingsError(Exception):
    """One setting is wrong: the message names it and says what is expected."""


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    base_url: str | None = None
    base_file_url: str | None = None
    data_dir: Path = Path("data")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    default_lang: str = "fr"
    draft_days: int = 14
    retention_days: int = 1095
    min_count: int = 3
    flood_per_minute: int = 30
    telegram_rate: int = 30
    nlp_timeout: float = 15.0
    invite_days: int = 14
    admin_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    log_level: str = "INFO"


def _int(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise ValueError
        return number

    return parse


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError
    return number


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError from None


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.upper() not in allowed and value not in allowed:
            raise ValueError
        return value if value in allowed else value.upper()

    return parse


def _ids(value: str) -> frozenset[int]:
    return frozenset(int(v) for v in value.replace(";", ",").split(",") if v.strip())


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError
    return value.rstrip("/")


def _token(value: str) -> str:
    head, _, tail = value.partition(":")
    if not head.isdigit() or len(tail) < 5:
        raise ValueError
    return value


def _secret(value: str) -> str:
    if not 0 < len(value) <= 256 or not all(c.isalnum() or c in "_-" for c in value):
        raise ValueError
    return value


@dataclass(frozen=True)
class Var:
    attr: str
    parse: Callable[[str], Any]
    expected: str
    secret: bool = False


URL = "une adresse commençant par http:// ou https://"
VARIABLES: dict[str, Var] = {
    "TELEGRAM_BOT_TOKEN": Var("token", _token, "un jeton de BotFather (123456:ABC...)", True),
    "TELEGRAM_BASE_URL": Var("base_url", _url, URL),
    "TELEGRAM_BASE_FILE_URL": Var("base_file_url", _url, URL),
    "VECUS_DATA_DIR": Var("data_dir", Path, "un chemin de dossier"),
    "VECUS_TIMEZONE": Var("timezone", _zone, "un fuseau horaire IANA, comme Europe/Paris"),
    "VECUS_DEFAULT_LANGUAGE": Var("default_lang", _choice("fr", "en"), "fr ou en"),
    "VECUS_DRAFT_RETENTION_DAYS": Var("draft_days", _int(1, 365), "un nombre de jours (1 à 365)"),
    "VECUS_RETENTION_DAYS": Var("retention_days", _int(30, 3650), "un nombre de jours (30 à 3650)"),
    "VECUS_MIN_COUNT": Var("min_count", _int(1, 100), "un nombre entier entre 1 et 100"),
    "VECUS_FLOOD_PER_MINUTE": Var("flood_per_minute", _int(5, 1000), "un nombre (5 à 1000)"),
    "VECUS_NLP_TIMEOUT": Var("nlp_timeout", _positive, "un nombre positif de secondes"),
    "VECUS_TELEGRAM_RATE": Var(
        "telegram_rate", _int(1, 10_000), "un nombre de messages par seconde"
    ),
    "VECUS_INVITE_DAYS": Var("invite_days", _int(1, 365), "un nombre de jours (1 à 365)"),
    "VECUS_ADMIN_IDS": Var("admin_ids", _ids, "des identifiants Telegram séparés par des virgules"),
    "VECUS_WEBHOOK_URL": Var("webhook_url", _url, URL),
    "VECUS_WEBHOOK_SECRET": Var(
        "webhook_secret", _secret, "1 à 256 lettres, chiffres, _ ou -", True
    ),
    "VECUS_WEBHOOK_LISTEN": Var("webhook_listen", str, "une adresse d'écoute"),
    "VECUS_WEBHOOK_PORT": Var("webhook_port", _int(1, 65535), "un port (1 à 65535)"),
    "VECUS_LOG_LEVEL": Var(
        "log_level", _choice("DEBUG", "INFO", "WARNING", "ERROR"), "DEBUG, INFO, WARNING ou ERROR"
    ),
}


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Environment first, then `.env`; empty values count as unset."""
    values: dict[str, str | None] = {}
    if env_file is not None and env_file.is_file():
        values.update(dotenv_values(env_file))
    values.update(os.environ if environ is None else environ)
    parsed: dict[str, Any] = {}
    for name, var in VARIABLES.items():
        raw = (values.get(name) or "").strip()
        if not raw:
            continue
        try:
            parsed[var.attr] = var.parse(raw)
        except ValueError:
            shown = "" if var.secret else f" (reçu : « {raw[:60]} »)"
            raise SettingsError(f"{name} doit être {var.expected}{shown}.") from None
    settings = Settings(**parsed)
    if settings.webhook_url and not settings.webhook_secret:
        raise SettingsError(
            "VECUS_WEBHOOK_SECRET doit être défini quand VECUS_WEBHOOK_URL l'est "
            "(Telegram le renvoie à chaque appel pour prouver que c'est bien lui)."
        )
    return settings
