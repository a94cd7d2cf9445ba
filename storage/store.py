"""`Store`: the one object the rest of Vécus holds, bundling the database, the keys and the
repositories. Opening it checks, before writing anything, that the key files fit the database.
"""

from __future__ import annotations

import hmac
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.audit import Audit
from storage.clock import Clock
from storage.crypto import CryptoError, field_aad
from storage.database import Database
from storage.drafts import Drafts
from storage.journeys import Journeys
from storage.keys import KeyFileError, ServerKeys, load_keys
from storage.participants import Attempts, Invites, Participants
from storage.rotation import KEY_CHECK
from storage.territories import Territories
from storage.vault import Vault

DB_FILE = "vecus.db"
_CHECK_PLAIN = b"vecus key check"


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_FILE


class Store:
    def __init__(self, db: Database, keys: ServerKeys, clock: Clock) -> None:
        self.db, self.keys, self.clock = db, keys, clock
        self.vault = Vault(keys)
        self.journeys = Journeys(db, self.vault, clock)
        self.drafts = Drafts(db, self.vault, clock)
        self.participants = Participants(db, self.vault, clock)
        self.invites = Invites(db, self.vault, clock, self.participants)
        self.attempts = Attempts(db, self.vault, clock)
        self.territories = Territories(db, clock)
        self.audit = Audit(db)

    @classmethod
    async def open(
        cls,
        data_dir: Path,
        *,
        tz: ZoneInfo | None = None,
        keys: ServerKeys | None = None,
        clock: Clock | None = None,
    ) -> Store:
        """Load the keys, check they fit an existing database, then open and migrate it."""
        keys = keys or load_keys(data_dir)
        path = db_path(data_dir)
        if path.exists():
            check_keys_fit(path, keys)
        db = await Database.open(path)
        store = cls(db, keys, clock or Clock(tz or ZoneInfo("Europe/Paris")))
        await store._write_checks()
        return store

    async def close(self) -> None:
        await self.db.close()

    async def _write_checks(self) -> None:
        """On a new database, record what lets a later start recognise the right keys."""
        values = {
            KEY_CHECK: self.keys.keyring.encrypt(
                _CHECK_PLAIN, field_aad("meta", "value", KEY_CHECK)
            ),
            "pepper_check": _pepper_check(self.keys),
            "controller": self.keys.sealer.fpr,
        }
        async with self.db.tx() as conn:
            await conn.executemany(
                "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                list(values.items()),
            )


def _pepper_check(keys: ServerKeys) -> bytes:
    return hmac.new(keys.pepper, b"vecus pepper check", "sha256").digest()


def check_keys_fit(path: Path, keys: ServerKeys) -> None:
    """Read-only check that these keys are the ones this database was written with."""
    # Without a WAL (clean shutdown) open as immutable: SQLite then creates no -wal/-shm file.
    immutable = "" if path.with_name(path.name + "-wal").exists() else "&immutable=1"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro{immutable}", uri=True)
    except sqlite3.Error as exc:
        raise KeyFileError(f"La base {path} ne s'ouvre pas : {exc}.") from None
    try:
        rows = dict(conn.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.Error:
        return  # no meta table yet: a database that never got as far as its checks
    finally:
        conn.close()
    if "pepper_check" in rows and not hmac.compare_digest(
        rows["pepper_check"], _pepper_check(keys)
    ):
        raise KeyFileError(
            "Le fichier de clés ne correspond pas à cette base (le poivre diffère) : "
            "utilisez le fichier de clés d'origine."
        )
    if KEY_CHECK in rows:
        try:
            keys.keyring.decrypt(rows[KEY_CHECK], field_aad("meta", "value", KEY_CHECK))
        except CryptoError:
            raise KeyFileError(
                "Le trousseau de clés ne correspond pas à cette base : "
                "utilisez le fichier de clés d'origine, ou sa sauvegarde."
            ) from None
    if "controller" in rows and rows["controller"] != keys.sealer.fpr:
        raise KeyFileError(
            "La clé publique du responsable ne correspond pas à cette base : "
            "restaurez le fichier controller-public.pem d'origine."
        )
