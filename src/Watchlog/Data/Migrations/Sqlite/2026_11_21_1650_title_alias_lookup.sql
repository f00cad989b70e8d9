-- History imports look titles up by their other names too (a German Netflix file says "Haus des Geldes"): by the
-- lower-cased name, the way the matcher asks.
CREATE INDEX title_aliases_lower_title ON title_aliases (lower(title));
