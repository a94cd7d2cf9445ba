"""Encrypted storage: aiosqlite with versioned migrations, and all of Vécus' cryptography."""

from storage.crypto import CryptoError
from storage.database import SchemaError
from storage.keys import KeyFileError, ServerKeys, init_keys, load_keys
from storage.records import (
    Attachment,
    GroundChoice,
    IncidentIn,
    IncidentView,
    JourneyIn,
    JourneyView,
    Organisation,
    Participant,
    Territory,
)
from storage.store import Store
from storage.vault import new_code, normalise_code

__all__ = [
    "Attachment",
    "CryptoError",
    "GroundChoice",
    "IncidentIn",
    "IncidentView",
    "JourneyIn",
    "JourneyView",
    "KeyFileError",
    "Organisation",
    "Participant",
    "SchemaError",
    "ServerKeys",
    "Store",
    "Territory",
    "init_keys",
    "load_keys",
    "new_code",
    "normalise_code",
]
