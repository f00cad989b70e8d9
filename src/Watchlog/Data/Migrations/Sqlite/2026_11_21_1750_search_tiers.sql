-- (Named search_people / search_titles_vector on main for an hour; written to run again harmlessly on a database that applied those.)
-- People get their own FTS table with a prefix index for 4-letter prefixes (the shortest prefix searched in people).
-- In search_more they shared one vocabulary with the overviews, so "natio*" read every overview word from "natio"
-- on; alone they answer a names-tier read about 8 times faster (0.34 -> 0.04 ms, 100k titles, the bench's queries).
-- search_more keeps people_key too: the overview tier matches a plot word and a name together.
CREATE VIRTUAL TABLE IF NOT EXISTS search_people USING fts5(
    people_key, facets,
    content = 'search_docs', content_rowid = 'rank',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '4', detail = column, columnsize = 0);
INSERT INTO search_people (search_people) VALUES ('rebuild');
-- A bulk import leaves the FTS indexes in many segments, each read by every query; merged into one, title-tier
-- reads take half the time. Imports do this again when they finish (SearchIndex.CompactAsync).
INSERT INTO search_fts (search_fts) VALUES ('optimize');
INSERT INTO search_more (search_more) VALUES ('optimize');
