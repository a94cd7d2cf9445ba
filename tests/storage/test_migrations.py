"""Versioned migrations: from empty, re-run, newer schema refused, failure rolled back."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import database
from storage.database import Database, SchemaError, split_statements

EXPECTED_TABLES = {
    "meta", "territories", "organisations", "labels", "participants", "memberships", "invites",
    "attempts", "journeys", "incidents", "incident_grounds", "attachments", "drafts", "events",
    "subscriptions", "deliveries", "audit", "schema_migrations",
}  # fmt: skip


async def _tables(db: Database) -> set[str]:
    rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r[0] for r in rows}


async def test_from_empty_then_rerun(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    db = await Database.open(path)
    latest = database.migrations()[-1][0]
    assert await db.schema_version() == latest
    assert await _tables(db) >= EXPECTED_TABLES
    assert await db.migrate() == latest  # idempotent
    rows = await db.fetchall("SELECT version FROM schema_migrations")
    assert [r[0] for r in rows] == [v for v, _, _ in database.migrations()]
    mode = await db.fetchone("PRAGMA journal_mode")
    fk = await db.fetchone("PRAGMA foreign_keys")
    assert mode[0] == "wal" and fk[0] == 1
    await db.close()
    db = await Database.open(path)  # reopening applies nothing new
    assert len(await db.fetchall("SELECT version FROM schema_migrations")) == latest
    await db.close()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    db = await Database.open(path)
    async with db.tx() as conn:
        await conn.execute(
            "INSERT INTO schema_migrations VALUES (999, '0999_future.sql', '2030-01-01')"
        )
    await db.close()
    with pytest.raises(SchemaError, match="version 999, plus récente que ce code"):
        await Database.open(path)


async def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v.db"
    shipped = database.migrations()
    broken = (
        len(shipped) + 1,
        "9999_broken.sql",
        "CREATE TABLE half_done (id TEXT);\nINSERT INTO nowhere VALUES (1);\n",
    )
    monkeypatch.setattr(database, "migrations", lambda: [*shipped, broken])
    with pytest.raises(SchemaError, match=r"9999_broken\.sql"):
        await Database.open(path)
    monkeypatch.setattr(database, "migrations", lambda: shipped)
    db = await Database.open(path)
    assert "half_done" not in await _tables(db)
    assert await db.schema_version() == shipped[-1][0]
    await db.close()


def test_statements_are_split_without_breaking_strings() -> None:
    sql = "-- comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nINSERT INTO a VALUES ('x;y');\n"
    assert split_statements(sql) == [
        "CREATE TABLE a (x TEXT DEFAULT ';');",
        "INSERT INTO a VALUES ('x;y');",
    ]
    with pytest.raises(SchemaError):
        split_statements("CREATE TABLE b (x TEXT")
