"""The server's keys, bound to the places they protect: one call per encrypted cell."""

from __future__ import annotations

import secrets

from storage.crypto import field_aad, pseudonym
from storage.keys import ServerKeys

# Crockford's base32 without I, L, O, U: nothing to confuse when copying a code by hand.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code(groups: int = 4, size: int = 4) -> str:
    """A random code like 7KQ2-M9XD-3HPA-TZ8W: 80 bits, so guessing one is hopeless."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(groups * size))
    return "-".join(chars[i : i + size] for i in range(0, len(chars), size))


def normalise_code(text: str) -> str:
    """What a person types (spaces, lowercase, O for 0) to the canonical form, or ''."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if not raw or any(ch not in CODE_ALPHABET for ch in raw):
        return ""
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_id() -> str:
    return secrets.token_hex(16)


class Vault:
    def __init__(self, keys: ServerKeys) -> None:
        self.keys = keys

    def encrypt(self, table: str, column: str, row_id: str, value: str | bytes) -> bytes:
        data = value.encode() if isinstance(value, str) else value
        return self.keys.keyring.encrypt(data, field_aad(table, column, row_id))

    def decrypt(self, table: str, column: str, row_id: str, blob: bytes) -> bytes:
        return self.keys.keyring.decrypt(blob, field_aad(table, column, row_id))

    def decrypt_text(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        return self.decrypt(table, column, row_id, blob).decode()

    def seal(self, table: str, column: str, row_id: str, value: str | bytes) -> bytes:
        data = value.encode() if isinstance(value, str) else value
        return self.keys.sealer.seal(data, field_aad(table, column, row_id))

    def pseudonym(self, kind: str, value: int | str) -> bytes:
        return pseudonym(self.keys.pepper, kind, value)

    def code_hash(self, kind: str, code: str) -> bytes:
        return pseudonym(self.keys.pepper, kind, normalise_code(code))
