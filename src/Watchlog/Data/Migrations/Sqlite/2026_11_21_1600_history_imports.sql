-- History imports (Netflix, Letterboxd, IMDb, Trakt, Watchlog files) and media-server scrobbles: one import per upload
-- (or one standing "inbox" per user and media server for webhook items that need a person's decision), the uploaded
-- file itself (so any node can run the job), and every row as it was read with what it matched.
-- All of it belongs to a user and goes with the account.

CREATE TABLE history_imports (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    format       TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('upload', 'cli', 'webhook')),
    profile      TEXT,
    file_name    TEXT,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    error        TEXT,
    rows_read    INTEGER NOT NULL DEFAULT 0,
    matched      INTEGER NOT NULL DEFAULT 0,
    review       INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    added        INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    started_at   TEXT,
    finished_at  TEXT
);
CREATE INDEX history_imports_user ON history_imports (user_id, id);
-- One review inbox per user and media server.
CREATE UNIQUE INDEX history_imports_inbox ON history_imports (user_id, format) WHERE source = 'webhook';

CREATE TABLE history_import_files (
    import_id  INTEGER PRIMARY KEY REFERENCES history_imports(id) ON DELETE CASCADE,
    content    BLOB NOT NULL
);

-- status: matched (written, or already there: result = added | duplicate), review (waiting for a decision), skipped
-- (not importable: reason), resolved (picked in review, then written), dismissed (skipped in review).
CREATE TABLE history_import_rows (
    import_id      INTEGER NOT NULL REFERENCES history_imports(id) ON DELETE CASCADE,
    row_no         INTEGER NOT NULL,
    file           TEXT,
    line           INTEGER NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('watch', 'rating', 'watchlist')),
    kind           TEXT,
    title          TEXT,
    year           INTEGER,
    season         INTEGER,
    episode        INTEGER,
    episode_title  TEXT,
    watched_at     TEXT,
    date_only      INTEGER NOT NULL DEFAULT 0,
    rating         INTEGER,
    platform       TEXT,
    note           TEXT,
    imdb_id        TEXT,
    tmdb_id        INTEGER,
    tvdb_id        INTEGER,
    episode_imdb_id TEXT,
    status         TEXT NOT NULL CHECK (status IN ('matched', 'review', 'skipped', 'resolved', 'dismissed')),
    result         TEXT,
    title_id       INTEGER REFERENCES titles(id),
    episode_id     INTEGER REFERENCES episodes(id),
    confidence     REAL,
    reason         TEXT,
    candidates     TEXT,
    checkin_id     INTEGER,
    PRIMARY KEY (import_id, row_no)
) WITHOUT ROWID;
CREATE INDEX history_import_rows_status ON history_import_rows (import_id, status, row_no);
