-- Accounts: users, sign-in sessions (opaque tokens stored as SHA-256 hex), personal API keys, failed sign-ins
-- and invitations. Every table that belongs to a user references users(id) ON DELETE CASCADE, so deleting a user
-- removes their rows; later features' personal tables do the same.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,              -- normalized: trimmed, NFC, lower-case
    password_hash  TEXT NOT NULL,                     -- ASP.NET Core Identity PasswordHasher (PBKDF2)
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL DEFAULT '',
    time_zone      TEXT NOT NULL DEFAULT 'UTC',       -- IANA id
    region         TEXT NOT NULL DEFAULT 'US' CHECK (length(region) = 2 AND region = upper(region)),
    is_admin       INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- One row per issued token pair. A refresh creates a new row in the same family and marks the old one rotated;
-- presenting a rotated refresh token again revokes the whole family (refresh-token reuse detection).
CREATE TABLE sessions (
    id                  INTEGER PRIMARY KEY,
    user_id             INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id           TEXT NOT NULL,
    access_hash         TEXT NOT NULL UNIQUE,
    refresh_hash        TEXT NOT NULL UNIQUE,
    created_at          TEXT NOT NULL,
    expires_at          TEXT NOT NULL,
    refresh_expires_at  TEXT NOT NULL,
    last_used_at        TEXT,
    rotated_at          TEXT,
    revoked_at          TEXT,
    user_agent          TEXT,
    ip                  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_family ON sessions (family_id);

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,                      -- the first characters of the key, shown in lists
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT
);
CREATE INDEX api_keys_user ON api_keys (user_id, id);

-- Failed sign-ins per (normalized email, client IP): the limiter counts them in a sliding window. Not tied to a
-- user row (unknown emails are limited too); deleting an account deletes the rows for its email.
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    ip         TEXT NOT NULL,
    failed_at  TEXT NOT NULL
);
CREATE INDEX login_failures_pair ON login_failures (email, ip, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT NOT NULL UNIQUE,
    email       TEXT,                                 -- when set, only this address may use the code
    created_by  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     INTEGER REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX invitations_created_by ON invitations (created_by);
CREATE INDEX invitations_used_by ON invitations (used_by);
