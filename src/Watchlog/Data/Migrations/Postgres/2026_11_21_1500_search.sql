-- Search index (see docs/search.md). Every row is written by Search/SearchIndex.cs from the catalog tables in the
-- same transaction as the catalog write, so the index is never behind the titles it describes.
--
-- rank orders titles by popularity (most popular first): for a common word the planner walks search_docs_rank and
-- stops after K matches; for a rare one it takes the GIN index. Keys are Normalize.MatchKey forms built in C# (accents
-- already folded, so unaccent is not needed), turned into lexemes by the 'simple' configuration: no stemming, no stop words.
-- Weights: A title, B alternate titles, C people, D network; overviews have their own vector.
-- search_terms / search_typos: typo tolerance by symmetric deletion, the same as on SQLite (see the SQLite migration).
CREATE TABLE search_docs (
    rank        bigint PRIMARY KEY,
    title_id    bigint NOT NULL UNIQUE REFERENCES titles(id) ON DELETE CASCADE,
    kind        text NOT NULL,
    year        integer,
    runtime_min integer,
    popularity  double precision NOT NULL,
    title       text NOT NULL,
    exact_key   text NOT NULL,
    title_key   text NOT NULL,
    alt_key     text NOT NULL,
    people_key  text NOT NULL,
    network_key text NOT NULL,
    network     text,
    poster      text,
    genres      text NOT NULL,
    platforms   text NOT NULL,
    facets      text[] NOT NULL,
    doc         tsvector NOT NULL,
    overview    tsvector NOT NULL
);
CREATE INDEX search_docs_exact ON search_docs (exact_key);
CREATE INDEX search_docs_doc ON search_docs USING gin (doc);
CREATE INDEX search_docs_overview ON search_docs USING gin (overview);
CREATE INDEX search_docs_facets ON search_docs USING gin (facets);

CREATE TABLE search_terms (
    term text PRIMARY KEY
);
CREATE TABLE search_typos (
    variant text NOT NULL,
    term    text NOT NULL,
    PRIMARY KEY (variant, term)
);

CREATE TABLE search_meta (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO search_meta (id, version) VALUES (1, 0);
