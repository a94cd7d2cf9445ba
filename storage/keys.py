"""Key files on disk: the server's AES key ring and pepper, and the controller's public key.

The server never holds the controller's private key: `init_keys` writes it once to a path the
administrator chose and tells them to move it offline. Every loading error is one clear French
sentence, raised before anything is written.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from storage.crypto import KEY_SIZE, CryptoError, KeyRing, Sealer, Unsealer, generate_controller_key

FORMAT = "vecus-server-keys"
SERVER_FILE = "server-keys.json"
PUBLIC_FILE = "controller-public.pem"


class KeyFileError(Exception):
    """A key file is missing, damaged or does not fit: the message says which and what to do."""


@dataclass(frozen=True)
class ServerKeys:
    keyring: KeyRing
    pepper: bytes
    sealer: Sealer


def keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "keys"


def keys_exist(data_dir: Path) -> bool:
    d = keys_dir(data_dir)
    return (d / SERVER_FILE).exists() or (d / PUBLIC_FILE).exists()


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically with mode 0600: a crash leaves the old file or the new one, never half."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def init_keys(data_dir: Path, private_key_path: Path) -> ServerKeys:
    """Create the key ring, the pepper and the controller key pair; refuse to overwrite."""
    private_key_path = Path(private_key_path)
    if keys_exist(data_dir):
        raise KeyFileError(
            f"Des clés existent déjà dans {keys_dir(data_dir)} : je ne les écrase pas "
            "(les données chiffrées deviendraient illisibles)."
        )
    if private_key_path.exists():
        raise KeyFileError(
            f"Le fichier {private_key_path} existe déjà : choisissez un autre chemin."
        )
    private = generate_controller_key()
    keys = ServerKeys(KeyRing.generate(), os.urandom(KEY_SIZE), Sealer(private.public_key()))
    _write_private(
        private_key_path,
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_private(keys_dir(data_dir) / PUBLIC_FILE, public_pem)
    save_keyring(data_dir, keys)
    return keys


def save_keyring(data_dir: Path, keys: ServerKeys) -> None:
    doc = {
        "format": FORMAT,
        "version": 1,
        "pepper": _b64(keys.pepper),
        "current": keys.keyring.current,
        "keys": {kid: _b64(key) for kid, key in keys.keyring.keys.items()},
    }
    _write_private(keys_dir(data_dir) / SERVER_FILE, json.dumps(doc, indent=2).encode())


def load_keys(data_dir: Path) -> ServerKeys:
    """Read and check both key files; raise KeyFileError with one sentence on any problem."""
    d = keys_dir(data_dir)
    server, public = d / SERVER_FILE, d / PUBLIC_FILE
    for path in (server, public):
        if not path.exists():
            raise KeyFileError(
                f"Le fichier de clés {path} est introuvable : lancez d'abord "
                "« python -m bot keys init --private-key CHEMIN »."
            )
    try:
        doc = json.loads(server.read_bytes())
        if doc.get("format") != FORMAT or doc.get("version") != 1:
            raise ValueError("format")
        pepper = base64.b64decode(doc["pepper"], validate=True)
        ring = {k: base64.b64decode(v, validate=True) for k, v in doc["keys"].items()}
        if len(pepper) != KEY_SIZE:
            raise ValueError("pepper")
        keyring = KeyRing(ring, doc["current"])
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, CryptoError):
        raise KeyFileError(
            f"Le fichier de clés {server} est abîmé ou tronqué : "
            "restaurez-le depuis une sauvegarde."
        ) from None
    try:
        public_key = serialization.load_pem_public_key(public.read_bytes())
    except ValueError:
        raise KeyFileError(
            f"La clé publique {public} est abîmée ou tronquée : restaurez-la depuis une sauvegarde."
        ) from None
    if not isinstance(public_key, X25519PublicKey):
        raise KeyFileError(f"La clé publique {public} n'est pas une clé X25519.")
    return ServerKeys(keyring, pepper, Sealer(public_key))


def load_unsealer(paths: list[Path]) -> Unsealer:
    """Load the controller's private key(s), for offline decryption only."""
    keys: list[X25519PrivateKey] = []
    for path in paths:
        try:
            key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        except FileNotFoundError:
            raise KeyFileError(f"La clé privée {path} est introuvable.") from None
        except (ValueError, TypeError):
            raise KeyFileError(f"Le fichier {path} n'est pas une clé privée lisible.") from None
        if not isinstance(key, X25519PrivateKey):
            raise KeyFileError(f"La clé privée {path} n'est pas une clé X25519.")
        keys.append(key)
    return Unsealer(tuple(keys))
