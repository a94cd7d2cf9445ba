"""All of Vécus' cryptography, built on `cryptography` primitives only.

Three tools, one per privacy rule of DESIGN.md:
- `KeyRing`: AES-256-GCM keys with ids, for fields the server must read back (rule 3). Every
  ciphertext names its key and is bound by AAD to its table, column and row.
- `pseudonym`: HMAC-SHA256 of a Telegram id under a secret pepper (rule 1).
- `Sealer` / `Unsealer`: narratives sealed to the data controller's X25519 public key with HPKE
  (RFC 9180, base mode); the server holds only the public key (rule 2).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FIELD_VERSION = 1
SEALED_VERSION = 2
NONCE_SIZE = 12
KEY_SIZE = 32
FINGERPRINT_SIZE = 8
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


class CryptoError(Exception):
    """A ciphertext could not be opened: wrong key, altered bytes, or moved to another place."""


def field_aad(table: str, column: str, row_id: str) -> bytes:
    """Binds a ciphertext to one cell, so a copy pasted into another row or column fails."""
    return f"vecus/1|{table}|{column}|{row_id}".encode()


def new_key_id() -> str:
    """Sortable, readable key ids: the date of creation and a random suffix."""
    return datetime.now(UTC).strftime("k%Y%m%d") + secrets.token_hex(3)


@dataclass(frozen=True)
class KeyRing:
    """AES-256-GCM keys by id; `current` encrypts, every key decrypts."""

    keys: dict[str, bytes]
    current: str

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise CryptoError(f"la clé courante {self.current} n'est pas dans le trousseau")
        for kid, key in self.keys.items():
            if not kid.isascii() or not 0 < len(kid) < 64 or len(key) != KEY_SIZE:
                raise CryptoError(f"la clé {kid!r} n'est pas une clé AES-256 valide")

    @classmethod
    def generate(cls) -> KeyRing:
        kid = new_key_id()
        return cls({kid: AESGCM.generate_key(bit_length=256)}, kid)

    def with_new_key(self) -> KeyRing:
        kid = new_key_id()
        while kid in self.keys:
            kid = new_key_id()
        return KeyRing({**self.keys, kid: AESGCM.generate_key(bit_length=256)}, kid)

    def without(self, kid: str) -> KeyRing:
        if kid == self.current:
            raise CryptoError("on ne peut pas retirer la clé courante")
        return KeyRing({k: v for k, v in self.keys.items() if k != kid}, self.current)

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        kid = self.current.encode()
        nonce = os.urandom(NONCE_SIZE)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, plaintext, aad)
        return bytes([FIELD_VERSION, len(kid)]) + kid + nonce + sealed

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        kid = key_id_of(blob)
        key = self.keys.get(kid)
        if key is None:
            raise CryptoError(f"la clé {kid} n'est plus dans le trousseau")
        start = 2 + len(kid)
        nonce, sealed = blob[start : start + NONCE_SIZE], blob[start + NONCE_SIZE :]
        try:
            return AESGCM(key).decrypt(nonce, sealed, aad)
        except InvalidTag:
            raise CryptoError("donnée chiffrée altérée ou déplacée") from None


def key_id_of(blob: bytes) -> str:
    """The id of the key that encrypted a field, read from its header."""
    if len(blob) < 2 or blob[0] != FIELD_VERSION or len(blob) < 2 + blob[1] + NONCE_SIZE + 16:
        raise CryptoError("donnée chiffrée illisible (format inconnu ou tronqué)")
    try:
        return blob[2 : 2 + blob[1]].decode("ascii")
    except UnicodeDecodeError:
        raise CryptoError("donnée chiffrée illisible (identifiant de clé)") from None


def pseudonym(pepper: bytes, kind: str, value: int | str) -> bytes:
    """HMAC-SHA256(pepper, value): the only form in which a Telegram id or a code is stored."""
    return hmac.new(pepper, f"{kind}:{value}".encode(), hashlib.sha256).digest()


def fingerprint(public_key: X25519PublicKey) -> bytes:
    raw = public_key.public_bytes_raw()
    return hashlib.sha256(raw).digest()[:FINGERPRINT_SIZE]


@dataclass(frozen=True)
class Sealer:
    """Encrypts to the controller's public key: what it seals, the server cannot open."""

    public_key: X25519PublicKey
    fpr: bytes = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fpr", fingerprint(self.public_key))

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        return (
            bytes([SEALED_VERSION])
            + self.fpr
            + _SUITE.encrypt(plaintext, self.public_key, info=aad)
        )


@dataclass(frozen=True)
class Unsealer:
    """Offline side: opens sealed blobs with one or more controller private keys."""

    private_keys: tuple[X25519PrivateKey, ...]

    def open(self, blob: bytes, aad: bytes) -> bytes:
        if len(blob) < 1 + FINGERPRINT_SIZE or blob[0] != SEALED_VERSION:
            raise CryptoError("récit scellé illisible (format inconnu ou tronqué)")
        fpr = blob[1 : 1 + FINGERPRINT_SIZE]
        for key in self.private_keys:
            if fingerprint(key.public_key()) == fpr:
                try:
                    return _SUITE.decrypt(blob[1 + FINGERPRINT_SIZE :], key, info=aad)
                except Exception:  # InvalidTag, or a malformed encapsulated key
                    raise CryptoError("récit scellé altéré ou déplacé") from None
        raise CryptoError("ce récit a été scellé pour une autre clé privée")


def generate_controller_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()
