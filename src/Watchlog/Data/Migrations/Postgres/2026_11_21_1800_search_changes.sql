-- The in-process search index (Search/MemoryIndex.cs) follows the database through this log: every index write records
-- the titles it rewrote under the version it moved search_meta to. Old entries are pruned; changes_after is the
-- version after which the log is complete (a process that saw an older version reads the whole index again).
CREATE TABLE search_changes (
    version  bigint NOT NULL,
    title_id bigint NOT NULL
);
CREATE INDEX search_changes_version ON search_changes (version);
ALTER TABLE search_meta ADD COLUMN changes_after bigint NOT NULL DEFAULT 0;
UPDATE search_meta SET changes_after = version;
