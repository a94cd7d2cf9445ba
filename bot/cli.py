"""`python -m bot`: the command line of Vécus, in French by default.

Without a command it runs the bot, or the local `chat` sandbox when no token is configured.
Administration (keys, backup, offline decryption) happens here, on the server, not in a chat.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings
from storage import KeyFileError, SchemaError, ServerKeys, Store, init_keys, load_keys
from storage.database import Database
from storage.keys import keys_dir, load_unsealer, save_keyring
from storage.offline import COLUMNS, read_narratives
from storage.rotation import key_usage, reencrypt
from storage.store import db_path

_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et s'arrête",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r"
    " (possibles : %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "expected one argument": "une valeur est attendue",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
}
argparse._ = lambda text: _FR.get(text, text)  # type: ignore[attr-defined]


class CliError(Exception):
    """A command cannot do what was asked; the message says why, in one sentence."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Vécus : recueillir les discriminations vécues dans l'accès au logement.",
        epilog="Sans commande : lance le bot, ou le bac à sable « chat » s'il n'y a pas de jeton.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")

    run = sub.add_parser("run", help="lance le bot sur Telegram (ou sur TELEGRAM_BASE_URL)")
    run.add_argument(
        "--webhook", action="store_true", help="reçoit les messages par webhook (VECUS_WEBHOOK_*)"
    )
    sub.add_parser("chat", help="parler au bot dans ce terminal, sans Telegram ni jeton")

    keys = sub.add_parser("keys", help="gérer les clés de chiffrement")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    init = keys_sub.add_parser("init", help="crée les clés (une seule fois)")
    init.add_argument(
        "--private-key",
        required=True,
        type=Path,
        metavar="CHEMIN",
        help="où écrire la clé privée du responsable (à déplacer ensuite hors du serveur)",
    )
    keys_sub.add_parser("rotate", help="nouvelle clé courante, et rechiffre tout avec elle")
    retire = keys_sub.add_parser("retire", help="retire une ancienne clé qui ne sert plus")
    retire.add_argument("key_id", metavar="CLÉ", help="identifiant de la clé (voir keys status)")
    keys_sub.add_parser("status", help="liste les clés et combien de champs chacune protège")

    backup = sub.add_parser("backup", help="sauvegarde cohérente de la base, même bot en marche")
    backup.add_argument("path", type=Path, metavar="CHEMIN", help="fichier de sauvegarde à créer")

    decrypt = sub.add_parser(
        "decrypt", help="hors ligne : déchiffre les récits avec la clé privée du responsable"
    )
    decrypt.add_argument(
        "--private-key",
        required=True,
        type=Path,
        action="append",
        metavar="FICHIER",
        help="clé privée du responsable (répétable pour d'anciennes clés)",
    )
    decrypt.add_argument(
        "--database", type=Path, metavar="FICHIER", help="base ou sauvegarde à lire"
    )
    decrypt.add_argument("--territory", metavar="CODE", help="seulement ce territoire")
    decrypt.add_argument("--since", metavar="AAAA-MM-JJ", help="à partir de cette date")
    decrypt.add_argument("--until", metavar="AAAA-MM-JJ", help="jusqu'à cette date incluse")
    decrypt.add_argument("--format", choices=("json", "csv"), default="json", help="json ou csv")
    decrypt.add_argument(
        "--output", type=Path, metavar="FICHIER", help="écrit dans ce fichier (sinon à l'écran)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        return dispatch(args, settings)
    except (SettingsError, KeyFileError, SchemaError, CliError, FileNotFoundError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command
    if command is None:
        command = "run" if settings.token else "chat"
    if command == "keys":
        return keys_command(args, settings)
    if command == "backup":
        return asyncio.run(backup(settings, args.path))
    if command == "decrypt":
        return decrypt(args, settings)
    if command == "run":
        from bot.app import run

        return run(settings, webhook=getattr(args, "webhook", False))
    from bot.chat import chat

    return chat(settings)


def keys_command(args: argparse.Namespace, settings: Settings) -> int:
    data = settings.data_dir
    if args.keys_command == "init":
        init_keys(data, args.private_key)
        print(f"Clés créées dans {keys_dir(data)}.")
        print(f"Clé privée du responsable écrite dans {args.private_key}.")
        print(
            "Déplacez-la maintenant HORS de ce serveur (clé USB chiffrée, coffre) : "
            "elle seule permet de lire les récits, et le bot n'en a pas besoin."
        )
        return 0
    if args.keys_command == "rotate":
        return asyncio.run(rotate(settings))
    if args.keys_command == "retire":
        return asyncio.run(retire(settings, args.key_id))
    return asyncio.run(status(settings))


async def rotate(settings: Settings) -> int:
    keys = load_keys(settings.data_dir)
    rotated = ServerKeys(keys.keyring.with_new_key(), keys.pepper, keys.sealer)
    store = await Store.open(settings.data_dir, tz=settings.timezone, keys=rotated)
    try:
        # The file first: from here on, every row is readable whatever happens next.
        save_keyring(settings.data_dir, rotated)
        changed = await reencrypt(store.db, store.vault)
        await store.audit.record("cli", "keys.rotate", rotated.keyring.current, str(changed))
    finally:
        await store.close()
    print(f"Nouvelle clé courante : {rotated.keyring.current} ; {changed} champs rechiffrés.")
    old = ", ".join(k for k in rotated.keyring.keys if k != rotated.keyring.current)
    print(f"Anciennes clés à retirer quand vous voulez (keys retire) : {old}.")
    return 0


async def retire(settings: Settings, key_id: str) -> int:
    keys = load_keys(settings.data_dir)
    if key_id not in keys.keyring.keys:
        raise CliError(f"La clé {key_id} n'est pas dans le trousseau.")
    if key_id == keys.keyring.current:
        raise CliError(f"La clé {key_id} est la clé courante : faites d'abord « keys rotate ».")
    store = await Store.open(settings.data_dir, tz=settings.timezone, keys=keys)
    try:
        used = (await key_usage(store.db)).get(key_id, 0)
        if used:
            raise CliError(
                f"La clé {key_id} protège encore {used} champs : relancez « keys rotate »."
            )
        save_keyring(
            settings.data_dir, ServerKeys(keys.keyring.without(key_id), keys.pepper, keys.sealer)
        )
        await store.audit.record("cli", "keys.retire", key_id)
    finally:
        await store.close()
    print(f"Clé {key_id} retirée du trousseau.")
    return 0


async def status(settings: Settings) -> int:
    keys = load_keys(settings.data_dir)
    store = await Store.open(settings.data_dir, tz=settings.timezone, keys=keys)
    try:
        usage = await key_usage(store.db)
    finally:
        await store.close()
    for kid in sorted(keys.keyring.keys):
        mark = " (courante)" if kid == keys.keyring.current else ""
        print(f"{kid}{mark} : {usage.get(kid, 0)} champs")
    return 0


async def backup(settings: Settings, target: Path) -> int:
    source = db_path(settings.data_dir)
    if not source.exists():
        raise CliError(f"Il n'y a pas encore de base dans {settings.data_dir}.")
    if target.exists():
        raise CliError(f"{target} existe déjà : choisissez un nouveau nom de fichier.")
    db = await Database.open(source, migrate=False)
    try:
        await db.backup(target)
    finally:
        await db.close()
    print(f"Sauvegarde écrite dans {target}.")
    print(
        "Elle ne contient aucune clé : sauvegardez aussi le dossier des clés, "
        "mais jamais au même endroit que la base."
    )
    return 0


def decrypt(args: argparse.Namespace, settings: Settings) -> int:
    unsealer = load_unsealer(args.private_key)
    rows = read_narratives(
        args.database or db_path(settings.data_dir),
        unsealer,
        territory=args.territory,
        since=args.since,
        until=args.until,
    )
    if args.format == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"{len(rows)} récits écrits dans {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
