-- (Named search_people / search_titles_vector on main for an hour; written to run again harmlessly on a database that applied those.)
-- The title tier gets its own vector (title and alternate-title words, no weights). Matching 'word':*AB against the
-- weighted doc made the GIN index return every title whose people or network has the word ("pictures" in a studio
-- name), each then fetched and rechecked on the heap; the titles vector answers from the index alone, and its
-- statistics describe title words only.
ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS titles tsvector;
UPDATE search_docs SET titles = strip(ts_filter(doc, '{a,b}'));
ALTER TABLE search_docs ALTER COLUMN titles SET NOT NULL;
CREATE INDEX IF NOT EXISTS search_docs_titles ON search_docs USING gin (titles);
