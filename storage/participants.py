"""Participants (association members, coordinators, exchange-day participants), their roles,
the invite codes that grant roles, and the counters that slow down guessing.

A participant is known by the HMAC of their Telegram id; the chat id the bot needs to write to
them later is encrypted.
"""

from __future__ import annotations

from datetime import timedelta

from storage.clock import Clock
from storage.database import Database
from storage.records import Participant
from storage.vault import Vault, new_code, new_id

ROLES = ("association", "coordinator", "participant", "admin")


class Participants:
    def __init__(self, db: Database, vault: Vault, clock: Clock) -> None:
        self.db, self.vault, self.clock = db, vault, clock

    async def _load(self, where: str, param: object) -> Participant | None:
        row = await self.db.fetchone(f"SELECT * FROM participants WHERE {where} = ?", (param,))
        if row is None:
            return None
        roles = await self.db.fetchall(
            "SELECT territory_id, role FROM memberships"
            " WHERE participant_id = ? AND revoked_at IS NULL ORDER BY territory_id, role",
            (row["id"],),
        )
        return Participant(
            row["id"], row["lang"], bool(row["active"]), tuple((r[0], r[1]) for r in roles)
        )

    async def by_user(self, user_id: int) -> Participant | None:
        return await self._load("pseudonym", self.vault.pseudonym("tg-user", user_id))

    async def get(self, participant_id: str) -> Participant | None:
        return await self._load("id", participant_id)

    async def ensure(self, user_id: int, chat_id: int, lang: str = "fr") -> Participant:
        """Create the participant or refresh their chat id and language; return it."""
        pseudonym = self.vault.pseudonym("tg-user", user_id)
        pid = new_id()
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "SELECT id FROM participants WHERE pseudonym = ?", (pseudonym,)
            )
            row = await cur.fetchone()
            if row is not None:
                pid = row[0]
            chat = self.vault.encrypt("participants", "chat_enc", pid, str(chat_id))
            await conn.execute(
                "INSERT INTO participants (id, pseudonym, chat_enc, lang, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (pseudonym) DO UPDATE SET"
                " chat_enc = excluded.chat_enc, lang = excluded.lang, active = 1",
                (pid, pseudonym, chat, lang, self.clock.stamp()),
            )
        found = await self.get(pid)
        assert found is not None
        return found

    async def chat_id(self, participant_id: str) -> int | None:
        row = await self.db.fetchone(
            "SELECT chat_enc FROM participants WHERE id = ?", (participant_id,)
        )
        if row is None or row[0] is None:
            return None
        return int(self.vault.decrypt_text("participants", "chat_enc", participant_id, row[0]))

    async def set_active(self, participant_id: str, active: bool) -> None:
        async with self.db.tx() as conn:
            await conn.execute(
                "UPDATE participants SET active = ? WHERE id = ?", (int(active), participant_id)
            )

    async def grant(self, participant_id: str, territory_id: str, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO memberships (participant_id, territory_id, role, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (participant_id, territory_id, role)"
                " DO UPDATE SET revoked_at = NULL",
                (participant_id, territory_id, role, self.clock.stamp()),
            )

    async def revoke(self, participant_id: str, territory_id: str, role: str) -> None:
        async with self.db.tx() as conn:
            await conn.execute(
                "UPDATE memberships SET revoked_at = ?"
                " WHERE participant_id = ? AND territory_id = ? AND role = ?",
                (self.clock.stamp(), participant_id, territory_id, role),
            )

    async def with_role(self, territory_id: str, role: str) -> list[Participant]:
        rows = await self.db.fetchall(
            "SELECT p.id FROM participants p JOIN memberships m ON m.participant_id = p.id"
            " WHERE m.territory_id = ? AND m.role = ? AND m.revoked_at IS NULL AND p.active = 1"
            " ORDER BY p.created_at",
            (territory_id, role),
        )
        found = [await self.get(r[0]) for r in rows]
        return [p for p in found if p is not None]

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM participants")
        return row[0]


class Invites:
    """Single-use, expiring invite codes, stored as HMACs."""

    def __init__(self, db: Database, vault: Vault, clock: Clock, participants: Participants):
        self.db, self.vault, self.clock, self.participants = db, vault, clock, participants

    async def create(self, territory_id: str, role: str, ttl: timedelta) -> tuple[str, str]:
        """A new code for a role in a territory; returns (invite id, code). Only shown once."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        code = new_code(groups=5)
        iid = new_id()
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO invites (id, code_hash, territory_id, role, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    iid,
                    self.vault.code_hash("invite", code),
                    territory_id,
                    role,
                    self.clock.stamp(),
                    self.clock.stamp(ttl),
                ),
            )
        return iid, code

    async def redeem(
        self, code: str, user_id: int, chat_id: int, lang: str = "fr"
    ) -> tuple[Participant, str, str] | None:
        """Use a code once: (participant, territory id, role), or None if invalid, used, expired."""
        participant = await self.participants.ensure(user_id, chat_id, lang)
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "UPDATE invites SET used_at = ?, used_by = ? WHERE code_hash = ?"
                " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"
                " RETURNING territory_id, role",
                (
                    self.clock.stamp(),
                    participant.id,
                    self.vault.code_hash("invite", code),
                    self.clock.stamp(),
                ),
            )
            row = await cur.fetchone()
        if row is None:
            return None
        await self.participants.grant(participant.id, row[0], row[1])
        granted = await self.participants.get(participant.id)
        assert granted is not None
        return granted, row[0], row[1]

    async def revoke(self, invite_id: str) -> bool:
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "UPDATE invites SET revoked_at = ? WHERE id = ? AND used_at IS NULL",
                (self.clock.stamp(), invite_id),
            )
            return cur.rowcount > 0

    async def list(self, territory_id: str | None = None) -> list[dict[str, str | None]]:
        sql = (
            "SELECT id, territory_id, role, created_at, expires_at, used_at, revoked_at"
            " FROM invites"
        )
        params: tuple[str, ...] = ()
        if territory_id:
            sql += " WHERE territory_id = ?"
            params = (territory_id,)
        return [dict(r) for r in await self.db.fetchall(sql + " ORDER BY created_at", params)]


class Attempts:
    """Counts failed guesses (invite, receipt codes) per person in a sliding window."""

    def __init__(self, db: Database, vault: Vault, clock: Clock) -> None:
        self.db, self.vault, self.clock = db, vault, clock

    async def record(self, bucket: str, user_id: int) -> None:
        async with self.db.tx() as conn:
            await conn.execute(
                "INSERT INTO attempts (id, bucket, subject, at) VALUES (?, ?, ?, ?)",
                (
                    new_id(),
                    bucket,
                    self.vault.pseudonym("tg-user", user_id),
                    self.clock.stamp(),
                ),
            )

    async def recent(self, bucket: str, user_id: int, window: timedelta) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM attempts WHERE bucket = ? AND subject = ? AND at > ?",
            (
                bucket,
                self.vault.pseudonym("tg-user", user_id),
                self.clock.stamp(-window),
            ),
        )
        return row[0]

    async def purge_before(self, window: timedelta) -> int:
        async with self.db.tx() as conn:
            cur = await conn.execute(
                "DELETE FROM attempts WHERE at <= ?", (self.clock.stamp(-window),)
            )
            return cur.rowcount
