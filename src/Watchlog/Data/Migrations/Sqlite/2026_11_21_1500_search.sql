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
    facets      TEXT NOT NULL,      -- space separated filter tokens: kmovie, rus / rglobal, gdrama, pnetflix
    overview_key TEXT NOT NULL
);
CREATE INDEX search_docs_exact ON search_docs (exact_key);

-- Titles, alternate titles and network, the fields as-you-type search reads first. External content (search_docs
-- holds the text, so the FTS table stores only its index); detail=column and columnsize=0 because the ranker is ours
-- (no phrase queries, no bm25). Prefix indexes keep one- to three-letter as-you-type prefixes fast.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_key, alt_key, network_key, facets,
    content = 'search_docs', content_rowid = 'rank',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', detail = column, columnsize = 0);

-- People and overviews: lower weights, read only when the fields above give too few candidates. Kept apart, without
-- prefix indexes, so their large vocabulary does not grow the index every keystroke reads (a prefix query here reads
-- the term range instead). Also external content on search_docs.
CREATE VIRTUAL TABLE search_more USING fts5(
    people_key, overview_key, facets,
    content = 'search_docs', content_rowid = 'rank',
    tokenize = 'unicode61 remove_diacritics 2', detail = column, columnsize = 0);

-- Typo tolerance (SQLite 3.35 has no spellfix): every word of 4+ letters in titles, alternate titles and networks and its one-letter deletions.
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
