-- Catalog: titles, seasons, episodes, people, credits, genres, aliases, regions, external ids, sources,
-- platforms and availability. Instants are ISO-8601 UTC text, dates 'YYYY-MM-DD', JSON is text.

CREATE TABLE platforms (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    homepage    TEXT,
    created_at  TEXT NOT NULL
);

-- Normalized names (lower-case letters and digits, '+' spelled 'plus', '&' spelled 'and') that resolve to a platform.
CREATE TABLE platform_aliases (
    alias       TEXT PRIMARY KEY,
    platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE titles (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('movie', 'series')),
    title           TEXT NOT NULL,
    original_title  TEXT,
    match_key       TEXT NOT NULL,
    year            INTEGER,
    runtime_min     INTEGER,
    network         TEXT,
    status          TEXT,
    certification   TEXT,
    overview        TEXT,
    first_air_date  TEXT,
    last_air_date   TEXT,
    time_zone       TEXT,
    popularity      REAL NOT NULL DEFAULT 0,
    critic_rating   REAL,
    critic_votes    INTEGER,
    audience_rating REAL,
    audience_votes  INTEGER,
    poster          TEXT,
    backdrop        TEXT,
    imdb_id         TEXT,
    tmdb_id         INTEGER,
    tvdb_id         INTEGER,
    raw             TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_synced_at  TEXT
);
CREATE UNIQUE INDEX titles_imdb_id ON titles (imdb_id);
CREATE UNIQUE INDEX titles_tmdb_id ON titles (kind, tmdb_id);
CREATE UNIQUE INDEX titles_tvdb_id ON titles (kind, tvdb_id);
CREATE INDEX titles_match_key ON titles (match_key, kind, year);

-- Where each title came from: re-importing a source updates the same title, never a copy. import_run names the
-- import that last wrote the row, so a repeated id within one import is found without keeping every id in memory.
CREATE TABLE title_sources (
    source      TEXT NOT NULL,
    source_id   TEXT NOT NULL,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    imported_at TEXT NOT NULL,
    import_run  TEXT,
    PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE INDEX title_sources_title ON title_sources (title_id);

CREATE TABLE genres (
    id    INTEGER PRIMARY KEY,
    slug  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

CREATE TABLE title_genres (
    title_id INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    genre_id INTEGER NOT NULL REFERENCES genres(id) ON DELETE CASCADE,
    PRIMARY KEY (title_id, genre_id)
) WITHOUT ROWID;
CREATE INDEX title_genres_genre ON title_genres (genre_id);

-- ISO 3166 regions a title was released in.
CREATE TABLE title_regions (
    title_id INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    region   TEXT NOT NULL,
    PRIMARY KEY (title_id, region)
) WITHOUT ROWID;

CREATE TABLE title_aliases (
    id        INTEGER PRIMARY KEY,
    title_id  INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    title     TEXT NOT NULL,
    region    TEXT,
    language  TEXT,
    kind      TEXT
);
CREATE INDEX title_aliases_title ON title_aliases (title_id);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    match_key   TEXT NOT NULL,
    imdb_id     TEXT,
    tmdb_id     INTEGER,
    tvdb_id     INTEGER,
    birth_date  TEXT,
    death_date  TEXT,
    birth_year  INTEGER,
    death_year  INTEGER,
    birth_place TEXT,
    biography   TEXT,
    profile     TEXT,
    popularity  REAL NOT NULL DEFAULT 0,
    raw         TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX people_imdb_id ON people (imdb_id);
CREATE UNIQUE INDEX people_tmdb_id ON people (tmdb_id);
CREATE UNIQUE INDEX people_tvdb_id ON people (tvdb_id);
CREATE INDEX people_match_key ON people (match_key);

CREATE TABLE credits (
    id         INTEGER PRIMARY KEY,
    title_id   INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('actor', 'director', 'writer', 'creator', 'producer', 'crew')),
    character  TEXT,
    job        TEXT,
    ord        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credits_title ON credits (title_id, ord);
CREATE INDEX credits_person ON credits (person_id);

CREATE TABLE seasons (
    id        INTEGER PRIMARY KEY,
    title_id  INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    name      TEXT,
    overview  TEXT,
    air_date  TEXT,
    poster    TEXT,
    tmdb_id   INTEGER,
    tvdb_id   INTEGER,
    UNIQUE (title_id, number)
);

CREATE TABLE episodes (
    id              INTEGER PRIMARY KEY,
    title_id        INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    season_id       INTEGER NOT NULL REFERENCES seasons(id) ON DELETE CASCADE,
    season_number   INTEGER NOT NULL,
    number          INTEGER NOT NULL,
    absolute_number INTEGER,
    title           TEXT,
    overview        TEXT,
    air_date        TEXT,
    runtime_min     INTEGER,
    imdb_id         TEXT,
    tmdb_id         INTEGER,
    tvdb_id         INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (title_id, season_number, number)
);
CREATE INDEX episodes_season ON episodes (season_id);
CREATE UNIQUE INDEX episodes_imdb_id ON episodes (imdb_id);

CREATE TABLE availability (
    id             INTEGER PRIMARY KEY,
    title_id       INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    platform_id    INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    region         TEXT NOT NULL,
    monetization   TEXT NOT NULL CHECK (monetization IN ('subscription', 'free', 'ads', 'rent', 'buy', 'addon')),
    available_from TEXT,
    expires_on     TEXT,
    first_seen_at  TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    source         TEXT NOT NULL,
    UNIQUE (title_id, platform_id, region, monetization)
);
CREATE INDEX availability_platform ON availability (platform_id, region);
CREATE INDEX availability_expires ON availability (expires_on) WHERE expires_on IS NOT NULL;
