"""Key rotation: re-encrypt every field under the current key, so an old key can be retired.

The key file is written with the new key as current *before* any row changes, and each batch is
its own transaction: an interrupted rotation leaves every row readable with the ring on disk, and
running it again finishes the job. Sealed narratives are untouched: they depend on the
controller's key pair, not on the server's ring.
"""

from __future__ import annotations

from collections.abc import Callable

from storage.crypto import key_id_of
from storage.database import Database
from storage.vault import Vault

# (table, id column, encrypted column): every AES field of the schema.
ENCRYPTED_FIELDS = (
    ("participants", "id", "chat_enc"),
    ("journeys", "id", "contact_enc"),
    ("incidents", "id", "excerpt_enc"),
    ("drafts", "owner", "state_enc"),
)
KEY_CHECK = "key_check"


def row_key(value: str | bytes) -> str:
    return value.hex() if isinstance(value, bytes) else value


async def reencrypt(
    db: Database,
    vault: Vault,
    batch: int = 500,
    after_batch: Callable[[int], None] | None = None,
) -> int:
    """Re-encrypt every field not under the current key; return how many were changed."""
    current = vault.keys.keyring.current
    changed = 0
    for table, id_col, col in ENCRYPTED_FIELDS:
        rows = await db.fetchall(f"SELECT {id_col}, {col} FROM {table} WHERE {col} IS NOT NULL")
        stale = [(r[0], r[1]) for r in rows if key_id_of(r[1]) != current]
        for start in range(0, len(stale), batch):
            async with db.tx() as conn:
                for rid, blob in stale[start : start + batch]:
                    plain = vault.decrypt(table, col, row_key(rid), blob)
                    fresh = vault.encrypt(table, col, row_key(rid), plain)
                    # Compare-and-swap: a row changed meanwhile keeps its newer value.
                    await conn.execute(
                        f"UPDATE {table} SET {col} = ? WHERE {id_col} = ? AND {col} = ?",
                        (fresh, rid, blob),
                    )
            changed += len(stale[start : start + batch])
            if after_batch:
                after_batch(changed)
    check = await db.fetchone("SELECT value FROM meta WHERE name = ?", (KEY_CHECK,))
    if check is not None and key_id_of(check[0]) != current:
        plain = vault.decrypt("meta", "value", KEY_CHECK, check[0])
        async with db.tx() as conn:
            await conn.execute(
                "UPDATE meta SET value = ? WHERE name = ?",
                (vault.encrypt("meta", "value", KEY_CHECK, plain), KEY_CHECK),
            )
    return changed


async def key_usage(db: Database) -> dict[str, int]:
    """How many fields each key id still protects."""
    usage: dict[str, int] = {}
    for table, _, col in ENCRYPTED_FIELDS:
        for row in await db.fetchall(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL"):
            kid = key_id_of(row[0])
            usage[kid] = usage.get(kid, 0) + 1
    check = await db.fetchone("SELECT value FROM meta WHERE name = ?", (KEY_CHECK,))
    if check is not None:
        kid = key_id_of(check[0])
        usage[kid] = usage.get(kid, 0) + 1
    return usage
