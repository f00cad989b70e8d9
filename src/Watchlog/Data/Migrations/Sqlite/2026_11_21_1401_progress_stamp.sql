-- A random number written with every change of a progress row (Tracking/ProgressStore.cs): GET /api/progress keeps
-- each series' computed answer in memory and recomputes only the series whose stamp (or whose title's updated_at, for
-- catalog changes) moved since. Random rather than counted so that a row deleted and written again never repeats one.
ALTER TABLE user_series ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
