-- Search index (see docs/search.md). Every row is written by Search/SearchIndex.cs from the catalog tables in the
-- same transaction as the catalog write, so the index is never behind the titles it describes.
--
-- rank orders titles by popularity (most popular first) and is the rowid of both FTS tables: a MATCH read in rowid
-- order can stop after the first K candidates instead of scoring every title that shares a common prefix.
-- The keys are Normalize.MatchKey forms (accents, case, punctuation, '&' folded) plus extra tokens for the title:
-- adjacent words joined ("spider man" → "spiderman") and possessives without their s ("schindlers" → "schindler").
CREATE TABLE search_docs (
    rank        INTEGER PRIMARY KEY,
    title_id    INTEGER NOT NULL UNIQUE REFERENCES titles(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    year        INTEGER,
    runtime_min INTEGER,
    popularity  REAL NOT NULL,
    title       TEXT NOT NULL,
    exact_key   TEXT NOT NULL,
    title_key   TEXT NOT NULL,
    alt_key     TEXT NOT NULL,
    people_key  TEXT NOT NULL,
    network_key TEXT NOT NULL,
    network     TEXT,
    poster      TEXT,
    genres      TEXT NOT NULL,      -- display names, '|' separated
    platforms   TEXT NOT NULL,      -- 'REGION:Name' pairs, '|' separated, in a stable order
    facets      TEXT NOT NULL       -- space separated filter tokens: kmovie, rus / rglobal, gdrama, pnetflix
);
CREATE INDEX search_docs_exact ON search_docs (exact_key);

-- Title, alternate titles, people and network, weighted in that order by the ranker. detail=column: no phrase queries
-- are needed, so positions are not stored. Prefix indexes keep one- to three-letter as-you-type prefixes fast.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, alt, people, network, facets,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', detail = column);

-- Overviews: the lowest weight, searched only when the fields above give too few candidates. Kept apart so the
-- large overview vocabulary does not grow the prefix indexes.
CREATE VIRTUAL TABLE search_overview USING fts5(
    overview, facets,
    tokenize = 'unicode61 remove_diacritics 2', detail = column);

-- Typo tolerance (SQLite 3.35 has no spellfix): every searchable word of 4+ letters and its one-letter deletions.
-- A query word's own deletions looked up here give the words within one edit (symmetric deletion).
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE search_typos (
    variant TEXT NOT NULL,
    term    TEXT NOT NULL,
    PRIMARY KEY (variant, term)
) WITHOUT ROWID;

-- Bumped by every index write; servers compare it to drop cached results (also across processes and nodes).
CREATE TABLE search_meta (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_meta (id, version) VALUES (1, 0);
