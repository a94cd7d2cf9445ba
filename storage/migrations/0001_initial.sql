-- Vécus schema, version 1: everything DESIGN.md needs, even where later work fills in behaviour.
-- Portable SQL (SQLite now, PostgreSQL later): TEXT ids made by the application, ISO-8601 text
-- for dates, INTEGER 0/1 for booleans, BLOB (bytea) for ciphertexts and hashes.
-- Columns ending in _enc hold AES-256-GCM fields bound to (table, column, id); _sealed hold
-- narratives sealed to the controller's public key; _hash and pseudonym hold HMACs.

CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE territories (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

-- Landlords, reservation holders, agencies, associations of a territory: organisations, never people.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    territory_id TEXT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    contact TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (territory_id, kind, name)
);

-- A territory's own wording of a vocabulary code (step, ground, sector...); defaults are in flows/.
CREATE TABLE labels (
    territory_id TEXT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    vocabulary TEXT NOT NULL,
    code TEXT NOT NULL,
    lang TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (territory_id, vocabulary, code, lang)
);

CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    pseudonym BLOB NOT NULL UNIQUE,
    chat_enc BLOB,
    lang TEXT NOT NULL DEFAULT 'fr',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    territory_id TEXT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('association', 'coordinator', 'participant', 'admin')),
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    PRIMARY KEY (participant_id, territory_id, role)
);

CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    code_hash BLOB NOT NULL UNIQUE,
    territory_id TEXT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('association', 'coordinator', 'participant', 'admin')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT REFERENCES participants (id) ON DELETE SET NULL,
    revoked_at TEXT
);

-- Failed guesses of invite and receipt codes, per pseudonym, for rate limiting.
CREATE TABLE attempts (
    id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    subject BLOB NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX attempts_by_subject ON attempts (bucket, subject, at);

-- One housing journey told by one person (or relayed); it holds one or more incidents.
CREATE TABLE journeys (
    id TEXT PRIMARY KEY,
    receipt_hash BLOB NOT NULL UNIQUE,
    territory_id TEXT REFERENCES territories (id) ON DELETE SET NULL,
    sector TEXT NOT NULL CHECK (sector IN ('social', 'prive', 'inconnu')),
    relation TEXT,
    source TEXT NOT NULL CHECK (source IN ('resident', 'relay')),
    relayed_by TEXT REFERENCES participants (id) ON DELETE SET NULL,
    relay_consent INTEGER,
    lang TEXT NOT NULL,
    household TEXT,
    qpv TEXT,
    reported_elsewhere TEXT,
    contact_request INTEGER NOT NULL DEFAULT 0,
    contact_enc BLOB,
    excerpt_consent INTEGER NOT NULL DEFAULT 0,
    week TEXT NOT NULL,
    created_on TEXT NOT NULL,
    updated_on TEXT NOT NULL
);
CREATE INDEX journeys_by_territory_week ON journeys (territory_id, week);
CREATE INDEX journeys_by_date ON journeys (created_on);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    journey_id TEXT NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    step TEXT NOT NULL,
    happened TEXT,
    actor TEXT,
    organisation_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    evidence TEXT,
    narrative_sealed BLOB,
    excerpt_enc BLOB,
    submission_hash BLOB UNIQUE,
    week TEXT NOT NULL,
    created_on TEXT NOT NULL,
    UNIQUE (journey_id, position)
);
CREATE INDEX incidents_by_week ON incidents (week);

CREATE TABLE incident_grounds (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    ground TEXT NOT NULL,
    suggested INTEGER NOT NULL,
    confirmed INTEGER NOT NULL,
    PRIMARY KEY (incident_id, ground)
);

-- Evidence files, sealed like narratives.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    content_sealed BLOB NOT NULL,
    created_on TEXT NOT NULL
);

-- Unfinished conversations, keyed by the pseudonym of their Telegram user.
CREATE TABLE drafts (
    owner BLOB PRIMARY KEY,
    state_enc BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX drafts_by_expiry ON drafts (expires_at);

-- Exchange days of the territories (territory_id NULL: for the whole programme).
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    territory_id TEXT REFERENCES territories (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT,
    details TEXT,
    created_at TEXT NOT NULL,
    cancelled_at TEXT
);
CREATE INDEX events_by_start ON events (starts_at);

CREATE TABLE subscriptions (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    territory_id TEXT NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('digest', 'reminders')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (participant_id, territory_id, kind)
);

-- What was sent to whom (digest of a week, reminder of an event, help request of a journey):
-- the unique key makes a second send impossible, whatever the number of bot instances.
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (kind, ref, participant_id)
);
CREATE INDEX deliveries_by_status ON deliveries (status);

-- Privileged actions: who (participant id or 'cli'), what, on which object; never any content.
CREATE TABLE audit (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
CREATE INDEX audit_by_time ON audit (at);
