"""Participants, roles and invite codes: single use, expiring, revocable, stored hashed."""

from __future__ import annotations

from datetime import timedelta

from storage import Store


async def test_an_invite_grants_its_role_once(store: Store) -> None:
    lyon = await store.territories.create("lyon", "Métropole de Lyon")
    invite_id, code = await store.invites.create(lyon.id, "coordinator", timedelta(days=14))
    assert len(code) == 24 and code.count("-") == 4
    raw = await store.db.fetchone("SELECT code_hash FROM invites WHERE id = ?", (invite_id,))
    assert code.encode() not in raw[0] and len(raw[0]) == 32  # only the HMAC is stored
    granted = await store.invites.redeem(code.lower().replace("-", " "), user_id=42, chat_id=42)
    assert granted is not None
    participant, territory, role = granted
    assert (territory, role) == (lyon.id, "coordinator")
    assert participant.territories("coordinator") == (lyon.id,)
    assert await store.invites.redeem(code, user_id=43, chat_id=43) is None  # single use
    assert [p.id for p in await store.participants.with_role(lyon.id, "coordinator")] == [
        participant.id
    ]


async def test_expired_revoked_and_unknown_codes_grant_nothing(store: Store) -> None:
    lyon = await store.territories.create("lyon", "Métropole de Lyon")
    _, expired = await store.invites.create(lyon.id, "association", timedelta(seconds=-1))
    revoked_id, revoked = await store.invites.create(lyon.id, "association", timedelta(days=1))
    assert await store.invites.revoke(revoked_id)
    for code in (expired, revoked, "AAAA-BBBB-CCCC-DDDD-EEEE"):
        assert await store.invites.redeem(code, user_id=7, chat_id=7) is None
    states = {row["id"]: row for row in await store.invites.list(lyon.id)}
    assert states[revoked_id]["revoked_at"] is not None


async def test_roles_can_be_revoked_and_participants_deactivated(store: Store) -> None:
    lille = await store.territories.create("lille", "Métropole européenne de Lille")
    person = await store.participants.ensure(user_id=5, chat_id=-500, lang="en")
    await store.participants.grant(person.id, lille.id, "association")
    assert (await store.participants.by_user(5)).roles == ((lille.id, "association"),)
    await store.participants.revoke(person.id, lille.id, "association")
    assert (await store.participants.by_user(5)).roles == ()
    await store.participants.grant(person.id, lille.id, "association")
    await store.participants.set_active(person.id, False)
    assert await store.participants.with_role(lille.id, "association") == []
    assert await store.participants.chat_id(person.id) == -500


async def test_a_territory_rewords_its_labels(store: Store) -> None:
    lyon = await store.territories.create("lyon", "Métropole de Lyon")
    await store.territories.set_label(
        lyon.id, "step", "designation", "fr", "Proposé par Action Logement"
    )
    await store.territories.set_label(lyon.id, "step", "designation", "fr", "Candidature proposée")
    assert await store.territories.labels(lyon.id, "fr") == {
        ("step", "designation"): "Candidature proposée"
    }
    assert await store.territories.labels(lyon.id, "en") == {}
