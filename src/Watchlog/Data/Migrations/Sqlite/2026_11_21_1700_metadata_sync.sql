-- Metadata sync (issue 5): pending titles, both providers' episode numbering, artwork references, people refresh,
-- the per-title sync state behind the job monitor, and the sync log.

-- 'pending': a placeholder created by a lookup, answered 202 until its first sync lands. NULL: a normal title.
ALTER TABLE titles ADD COLUMN sync_state TEXT CHECK (sync_state IN ('pending'));
CREATE INDEX titles_last_synced ON titles (last_synced_at);

-- The primary numbering (season_number, number) is TMDB's when TMDB is configured; TheTVDB's own (default order)
-- numbering is kept beside it, so both are there where they differ.
ALTER TABLE episodes ADD COLUMN tvdb_season_number INTEGER;
ALTER TABLE episodes ADD COLUMN tvdb_number INTEGER;
ALTER TABLE episodes ADD COLUMN still TEXT;

ALTER TABLE people ADD COLUMN last_synced_at TEXT;
CREATE INDEX people_last_synced ON people (last_synced_at);

-- One row per title whose sync was ever queued: what the monitor counts (queued, running, retrying, succeeded, failed).
CREATE TABLE sync_jobs (
    title_id   INTEGER PRIMARY KEY REFERENCES titles(id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('queued', 'running', 'retrying', 'succeeded', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    queued_at  TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    error      TEXT
);
CREATE INDEX sync_jobs_state ON sync_jobs (state);

-- Every provider fetch and write attempt: what the monitor lists as recent executions; cleaned up after 30 days.
CREATE TABLE sync_log (
    id          INTEGER PRIMARY KEY,
    provider    TEXT NOT NULL,
    entity      TEXT NOT NULL CHECK (entity IN ('title', 'person', 'lookup')),
    entity_id   TEXT NOT NULL,
    title_id    INTEGER,
    status      TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'retrying', 'not_found')),
    started_at  TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    node        TEXT,
    error       TEXT
);
CREATE INDEX sync_log_started ON sync_log (started_at);
CREATE INDEX sync_log_entity ON sync_log (entity, entity_id);
