"""The administrator's command line, run as a real process: keys, backup, offline decryption."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage import Store
from storage.vault import new_code
from tests.storage.factories import incident, journey

ROOT = Path(__file__).resolve().parents[2]


def cli(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("VECUS_", "TELEGRAM_"))}
    full_env.update({"VECUS_DATA_DIR": str(data_dir), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,  # `chat` reads the terminal: here it gets end of input
        cwd=data_dir.parent,
        env=full_env,
        timeout=60,
    )


def test_help_is_in_french(tmp_path: Path) -> None:
    out = cli(tmp_path / "d", "--help")
    assert out.returncode == 0
    assert "utilisation : python -m bot" in out.stdout and "affiche cette aide" in out.stdout
    for sub in (["keys", "--help"], ["keys", "init", "--help"], ["decrypt", "--help"]):
        assert "utilisation :" in cli(tmp_path / "d", *sub).stdout
    bad = cli(tmp_path / "d", "keys", "init")
    assert bad.returncode == 2 and "arguments obligatoires manquants : --private-key" in bad.stderr


def test_keys_init_then_refuses_to_overwrite(tmp_path: Path) -> None:
    data, private = tmp_path / "data", tmp_path / "offline.pem"
    out = cli(data, "keys", "init", "--private-key", str(private))
    assert out.returncode == 0, out.stderr
    assert "HORS de ce serveur" in out.stdout
    assert private.stat().st_mode & 0o777 == 0o600
    assert "PRIVATE KEY" in private.read_text()
    assert not any("PRIVATE" in p.read_text() for p in (data / "keys").iterdir())
    again = cli(data, "keys", "init", "--private-key", str(tmp_path / "other.pem"))
    assert again.returncode == 2 and "je ne les écrase pas" in again.stderr


def test_a_wrong_setting_stops_with_one_sentence(tmp_path: Path) -> None:
    out = cli(tmp_path / "d", "keys", "status", VECUS_TIMEZONE="Mars/Olympus")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "VECUS_TIMEZONE" in out.stderr
    out = cli(tmp_path / "d", "keys", "status", TELEGRAM_BOT_TOKEN="nope-secret")
    assert "TELEGRAM_BOT_TOKEN" in out.stderr and "nope-secret" not in out.stderr


def _seed(data: Path, private: Path) -> list[str]:
    assert cli(data, "keys", "init", "--private-key", str(private)).returncode == 0

    async def fill() -> list[str]:
        store = await Store.open(data)
        lyon = await store.territories.create("lyon", "Métropole de Lyon")
        await store.territories.create("lille", "Métropole européenne de Lille")
        codes = []
        for text, territory in (("Récit à Lyon", lyon.id), ("Autre récit", None)):
            code = new_code()
            await store.journeys.save(journey(incident(text), territory_id=territory), code)
            codes.append(code)
        await store.close()
        return codes

    return asyncio.run(fill())


def test_rotate_retire_backup_and_decrypt(tmp_path: Path) -> None:
    data, private = tmp_path / "data", tmp_path / "offline.pem"
    codes = _seed(data, private)
    old = json.loads((data / "keys" / "server-keys.json").read_text())["current"]

    rotate = cli(data, "keys", "rotate")
    assert rotate.returncode == 0, rotate.stderr
    assert "champs rechiffrés" in rotate.stdout
    premature = cli(data, "keys", "retire", "nope")
    assert premature.returncode == 2 and "pas dans le trousseau" in premature.stderr
    assert cli(data, "keys", "retire", old).returncode == 0
    status = cli(data, "keys", "status").stdout
    assert old not in status and "(courante)" in status

    backup = tmp_path / "save" / "vecus-backup.db"
    out = cli(data, "backup", str(backup))
    assert out.returncode == 0 and backup.exists()
    assert cli(data, "backup", str(backup)).returncode == 2  # never overwrites

    out = cli(data, "decrypt", "--private-key", str(private), "--database", str(backup))
    rows = json.loads(out.stdout)
    assert sorted(r["narrative"] for r in rows) == ["Autre récit", "Récit à Lyon"]
    assert rows[0]["grounds"] == "origine patronyme"
    lyon = cli(
        data, "decrypt", "--private-key", str(private), "--territory", "lyon", "--format", "csv"
    )
    table = list(csv.DictReader(io.StringIO(lyon.stdout)))
    assert [r["narrative"] for r in table] == ["Récit à Lyon"] and table[0]["territory"] == "lyon"

    # Only the right private key opens the narratives; the server key ring plays no part.
    other = tmp_path / "other.pem"
    cli(tmp_path / "elsewhere", "keys", "init", "--private-key", str(other))
    wrong = json.loads(cli(data, "decrypt", "--private-key", str(other)).stdout)
    assert all(r["narrative"].startswith("[illisible") for r in wrong)
    assert len(codes) == 2


@pytest.mark.parametrize("args", [["chat"], []])
def test_without_token_the_chat_sandbox_talks_with_the_real_bot(
    tmp_path: Path, args: list[str]
) -> None:
    data = tmp_path / "data"
    out = cli(data, *args)
    assert out.returncode == 0, out.stderr
    assert (data / "sandbox" / "keys" / "server-keys.json").is_file()
    assert "bac à sable local" in out.stdout
    assert "Êtes-vous d'accord pour commencer" in out.stdout  # the bot answered /start
    assert "[1] ✅ Oui, je commence" in out.stdout
