"""Start-up with a missing, truncated or wrong key file: one clear sentence, nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from storage import KeyFileError, ServerKeys, Store, init_keys
from storage.keys import PUBLIC_FILE, SERVER_FILE, keys_dir
from storage.store import db_path
from storage.vault import new_code
from tests.storage.factories import journey


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


async def _existing(keys: ServerKeys, data_dir: Path) -> None:
    store = await Store.open(data_dir, keys=keys)
    await store.journeys.save(journey(), new_code())
    await store.close()


@pytest.mark.parametrize("name", [SERVER_FILE, PUBLIC_FILE])
async def test_missing_key_file(keys: ServerKeys, data_dir: Path, name: str) -> None:
    await _existing(keys, data_dir)
    (keys_dir(data_dir) / name).unlink()
    before = _snapshot(data_dir)
    with pytest.raises(KeyFileError, match="introuvable : lancez d'abord"):
        await Store.open(data_dir)
    assert _snapshot(data_dir) == before


async def test_no_keys_at_all_creates_no_database(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="introuvable"):
        await Store.open(tmp_path / "new")
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("name", [SERVER_FILE, PUBLIC_FILE])
async def test_truncated_key_file(keys: ServerKeys, data_dir: Path, name: str) -> None:
    await _existing(keys, data_dir)
    path = keys_dir(data_dir) / name
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    before = _snapshot(data_dir)
    with pytest.raises(KeyFileError, match="abîmé"):
        await Store.open(data_dir)
    assert _snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (SERVER_FILE, "ne correspond pas à cette base"),
        (PUBLIC_FILE, "clé publique du responsable ne correspond pas"),
    ],
)
async def test_wrong_key_file(
    keys: ServerKeys, data_dir: Path, tmp_path: Path, name: str, message: str
) -> None:
    await _existing(keys, data_dir)
    init_keys(tmp_path / "other", tmp_path / "other.pem")
    (keys_dir(data_dir) / name).write_bytes((keys_dir(tmp_path / "other") / name).read_bytes())
    before = _snapshot(data_dir)
    with pytest.raises(KeyFileError, match=message):
        await Store.open(data_dir)
    assert _snapshot(data_dir) == before
    assert db_path(data_dir).exists()


def test_init_refuses_to_overwrite(keys: ServerKeys, data_dir: Path, tmp_path: Path) -> None:
    before = _snapshot(data_dir)
    with pytest.raises(KeyFileError, match="je ne les écrase pas"):
        init_keys(data_dir, tmp_path / "again.pem")
    assert _snapshot(data_dir) == before
    assert not (tmp_path / "again.pem").exists()
    with pytest.raises(KeyFileError, match="existe déjà"):
        init_keys(tmp_path / "fresh", tmp_path / "offline" / "controller-private.pem")
