"""The SQLite connection (aiosqlite, WAL) and the versioned migrations.

One connection, one asyncio lock: every transaction runs alone on it, so concurrent coroutines never
interleave their statements. Other processes on the same file wait on SQLite's busy timeout.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

BUSY_TIMEOUT_MS = 10_000


class SchemaError(Exception):
    """The database cannot be used by this code (newer schema, failed migration)."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the code, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def split_statements(sql: str) -> list[str]:
    """Cut a script into complete statements (executescript would commit half-way)."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        raise SchemaError("migration incomplète : une instruction SQL n'est pas terminée")
    return statements


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, *, migrate: bool = True) -> Database:
        path = Path(path)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros: "delete everything" is real on disk.
            await conn.execute("PRAGMA secure_delete = ON")
            db = cls(conn, path)
            if migrate:
                await db.migrate()
            return db
        except BaseException:
            await conn.close()
            raise

    async def close(self) -> None:
        await self.conn.close()

    async def schema_version(self) -> int:
        async with self._lock:
            return await self._version()

    async def _version(self) -> int:
        cur = await self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        if await cur.fetchone() is None:
            return 0
        cur = await self.conn.execute("SELECT MAX(version) FROM schema_migrations")
        row = await cur.fetchone()
        return row[0] or 0

    async def migrate(self) -> int:
        """Apply the missing migrations, each in its own transaction; return the version."""
        shipped = migrations()
        latest = shipped[-1][0] if shipped else 0
        async with self._lock:
            current = await self._version()
            if current > latest:
                raise SchemaError(
                    f"La base {self.path} est en version {current}, plus récente que ce code "
                    f"(version {latest}) : mettez Vécus à jour avant de la rouvrir."
                )
            for version, name, sql in shipped:
                if version <= current:
                    continue
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    if await self._version() >= version:  # another process got there first
                        await self.conn.execute("ROLLBACK")
                        continue
                    await self.conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                    )
                    for statement in split_statements(sql):
                        await self.conn.execute(statement)
                    await self.conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (?, ?, ?)",
                        (version, name, now_iso()),
                    )
                    await self.conn.execute("COMMIT")
                except BaseException as exc:
                    await self.conn.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error):
                        raise SchemaError(f"la migration {name} a échoué : {exc}") from exc
                    raise
            return max(current, latest)

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction, alone on the connection; rolled back on any exception."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._lock:
            cur = await self.conn.execute(sql, params)
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._lock:
            cur = await self.conn.execute(sql, params)
            return await cur.fetchone()

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.tx() as conn:
            await conn.executemany(sql, rows)

    async def backup(self, target: Path) -> None:
        """SQLite online backup: a consistent copy even while the bot writes."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise FileExistsError(f"{target} existe déjà")
        async with self._lock:
            dest = await aiosqlite.connect(target)
            try:
                await self.conn.backup(dest)
            finally:
                await dest.close()
