"""Shared fixtures: a data folder with fresh keys, and an open Store on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import ServerKeys, Store, init_keys


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def private_key_path(tmp_path: Path) -> Path:
    return tmp_path / "offline" / "controller-private.pem"


@pytest.fixture
def keys(data_dir: Path, private_key_path: Path) -> ServerKeys:
    return init_keys(data_dir, private_key_path)


@pytest.fixture
async def store(data_dir: Path, keys: ServerKeys) -> AsyncIterator[Store]:
    store = await Store.open(data_dir, keys=keys)
    yield store
    await store.close()
