-- Tracking: check-ins, ratings, watchlist, subscribed platforms, preferences and idempotency keys.
-- Every table here belongs to a user and references users(id) ON DELETE CASCADE, so deleting the account removes it all.
-- Catalog rows a user refers to (titles, episodes) are NOT cascaded: a catalog change must never silently delete
-- someone's history, so deleting a referenced title or episode fails until its personal rows are moved. (The catalog
-- never deletes today; when it starts to, add indexes on checkins(title_id) and checkins(episode_id) for that check.)

CREATE TABLE checkins (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title_id    INTEGER NOT NULL REFERENCES titles(id),
    episode_id  INTEGER REFERENCES episodes(id),           -- null for a movie
    watched_at  TEXT NOT NULL,
    platform_id INTEGER REFERENCES platforms(id) ON DELETE SET NULL,
    rating      INTEGER CHECK (rating BETWEEN 1 AND 10),
    note        TEXT,
    created_at  TEXT NOT NULL
);
-- History: newest first, keyset pagination on (watched_at, id) within one user.
CREATE INDEX checkins_user_watched ON checkins (user_id, watched_at, id);
-- "Has this episode been watched?" (progress, up_to), the history's title filter, recomputing a series' progress.
CREATE INDEX checkins_user_title ON checkins (user_id, title_id, episode_id, watched_at);

-- Per user and series, what progress needs without reading every check-in (50,000 check-ins must answer in
-- milliseconds). Derived from checkins: written in the same transaction as every series check-in, recomputed when
-- one is deleted (Tracking/ProgressStore.cs). Anything else that writes check-ins must do the same.
CREATE TABLE user_series (
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title_id          INTEGER NOT NULL REFERENCES titles(id),
    watched_episodes  INTEGER NOT NULL,                   -- distinct episodes outside specials with a check-in
    last_watched_at   TEXT NOT NULL,                      -- the latest check-in of any episode, specials included
    last_episode_id   INTEGER REFERENCES episodes(id),    -- the episode (outside specials) of the latest such check-in
    last_episode_at   TEXT,
    PRIMARY KEY (user_id, title_id)
) WITHOUT ROWID;

-- One rating per user and title.
CREATE TABLE ratings (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title_id  INTEGER NOT NULL REFERENCES titles(id),
    rating    INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 10),
    rated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, title_id)
) WITHOUT ROWID;

CREATE TABLE watchlist (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title_id     INTEGER NOT NULL REFERENCES titles(id),
    platform_id  INTEGER REFERENCES platforms(id) ON DELETE SET NULL,   -- the platform_preference
    added_at     TEXT NOT NULL,
    watched_at   TEXT,
    PRIMARY KEY (user_id, title_id)
) WITHOUT ROWID;
CREATE INDEX watchlist_user_added ON watchlist (user_id, added_at);

-- The services a user subscribes to.
CREATE TABLE user_platforms (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, platform_id)
) WITHOUT ROWID;

CREATE TABLE user_preferences (
    user_id           INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    moods             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(moods)),   -- JSON array of lower-case labels
    notify_email      TEXT,
    telegram_chat_id  TEXT,
    digest_day        TEXT CHECK (digest_day IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
    digest_hour       INTEGER CHECK (digest_hour BETWEEN 0 AND 23),
    updated_at        TEXT NOT NULL
);

CREATE TABLE user_avoid_genres (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    genre_id INTEGER NOT NULL REFERENCES genres(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, genre_id)
) WITHOUT ROWID;

-- Idempotency-Key of POST /api/checkins: the first answer, written in the same transaction as the check-ins, so a
-- retry (after a timeout, a restart, or on another node) replays it instead of writing duplicates.
CREATE TABLE idempotency_keys (
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,                  -- SHA-256 of method, path and body: the same key with another body is refused
    status        INTEGER NOT NULL,
    response      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
) WITHOUT ROWID;

-- Progress counts a series' episodes by air date (aired by today, still to come, undated): ranges of this index.
CREATE INDEX episodes_title_air ON episodes (title_id, air_date, season_number, number);
