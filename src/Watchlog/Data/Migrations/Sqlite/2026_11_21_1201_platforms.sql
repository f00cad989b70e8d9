-- The platform registry: stable slugs, display names, and the names imports and providers use for them.
-- Alias keys are normalized names (see Catalog/Normalize.cs: lower-case letters and digits, '+' as 'plus').

INSERT INTO platforms (slug, name, homepage, created_at) VALUES
    ('netflix', 'Netflix', 'https://www.netflix.com/', '2026-11-21T00:00:00Z'),
    ('prime-video', 'Prime Video', 'https://www.primevideo.com/', '2026-11-21T00:00:00Z'),
    ('amazon-video', 'Amazon Video', 'https://www.amazon.com/video', '2026-11-21T00:00:00Z'),
    ('disney-plus', 'Disney+', 'https://www.disneyplus.com/', '2026-11-21T00:00:00Z'),
    ('hulu', 'Hulu', 'https://www.hulu.com/', '2026-11-21T00:00:00Z'),
    ('max', 'Max', 'https://www.max.com/', '2026-11-21T00:00:00Z'),
    ('apple-tv-plus', 'Apple TV+', 'https://tv.apple.com/', '2026-11-21T00:00:00Z'),
    ('apple-tv', 'Apple TV', 'https://tv.apple.com/', '2026-11-21T00:00:00Z'),
    ('paramount-plus', 'Paramount+', 'https://www.paramountplus.com/', '2026-11-21T00:00:00Z'),
    ('peacock', 'Peacock', 'https://www.peacocktv.com/', '2026-11-21T00:00:00Z'),
    ('crunchyroll', 'Crunchyroll', 'https://www.crunchyroll.com/', '2026-11-21T00:00:00Z'),
    ('mubi', 'MUBI', 'https://mubi.com/', '2026-11-21T00:00:00Z'),
    ('criterion-channel', 'The Criterion Channel', 'https://www.criterionchannel.com/', '2026-11-21T00:00:00Z'),
    ('tubi', 'Tubi', 'https://tubitv.com/', '2026-11-21T00:00:00Z'),
    ('pluto-tv', 'Pluto TV', 'https://pluto.tv/', '2026-11-21T00:00:00Z'),
    ('youtube', 'YouTube', 'https://www.youtube.com/', '2026-11-21T00:00:00Z'),
    ('starz', 'Starz', 'https://www.starz.com/', '2026-11-21T00:00:00Z'),
    ('mgm-plus', 'MGM+', 'https://www.mgmplus.com/', '2026-11-21T00:00:00Z'),
    ('amc-plus', 'AMC+', 'https://www.amcplus.com/', '2026-11-21T00:00:00Z'),
    ('showtime', 'Showtime', 'https://www.sho.com/', '2026-11-21T00:00:00Z'),
    ('britbox', 'BritBox', 'https://www.britbox.com/', '2026-11-21T00:00:00Z'),
    ('acorn-tv', 'Acorn TV', 'https://acorn.tv/', '2026-11-21T00:00:00Z'),
    ('shudder', 'Shudder', 'https://www.shudder.com/', '2026-11-21T00:00:00Z'),
    ('freevee', 'Freevee', 'https://www.amazon.com/freevee', '2026-11-21T00:00:00Z'),
    ('roku-channel', 'The Roku Channel', 'https://therokuchannel.roku.com/', '2026-11-21T00:00:00Z'),
    ('fandango-at-home', 'Fandango at Home', 'https://athome.fandango.com/', '2026-11-21T00:00:00Z'),
    ('google-play', 'Google Play Movies', 'https://play.google.com/store/movies', '2026-11-21T00:00:00Z'),
    ('kanopy', 'Kanopy', 'https://www.kanopy.com/', '2026-11-21T00:00:00Z'),
    ('hoopla', 'Hoopla', 'https://www.hoopladigital.com/', '2026-11-21T00:00:00Z'),
    ('plex', 'Plex', 'https://www.plex.tv/', '2026-11-21T00:00:00Z'),
    ('discovery-plus', 'discovery+', 'https://www.discoveryplus.com/', '2026-11-21T00:00:00Z'),
    ('curiosity-stream', 'CuriosityStream', 'https://curiositystream.com/', '2026-11-21T00:00:00Z'),
    ('fubo', 'Fubo', 'https://www.fubo.tv/', '2026-11-21T00:00:00Z'),
    ('sling-tv', 'Sling TV', 'https://www.sling.com/', '2026-11-21T00:00:00Z'),
    ('bbc-iplayer', 'BBC iPlayer', 'https://www.bbc.co.uk/iplayer', '2026-11-21T00:00:00Z'),
    ('itvx', 'ITVX', 'https://www.itv.com/', '2026-11-21T00:00:00Z'),
    ('channel-4', 'Channel 4', 'https://www.channel4.com/', '2026-11-21T00:00:00Z'),
    ('now', 'NOW', 'https://www.nowtv.com/', '2026-11-21T00:00:00Z'),
    ('sky', 'Sky', 'https://www.sky.com/', '2026-11-21T00:00:00Z'),
    ('canal-plus', 'Canal+', 'https://www.canalplus.com/', '2026-11-21T00:00:00Z'),
    ('stan', 'Stan', 'https://www.stan.com.au/', '2026-11-21T00:00:00Z'),
    ('crave', 'Crave', 'https://www.crave.ca/', '2026-11-21T00:00:00Z'),
    ('jiohotstar', 'JioHotstar', 'https://www.hotstar.com/', '2026-11-21T00:00:00Z'),
    ('zee5', 'ZEE5', 'https://www.zee5.com/', '2026-11-21T00:00:00Z'),
    ('viki', 'Viki', 'https://www.viki.com/', '2026-11-21T00:00:00Z'),
    ('rakuten-tv', 'Rakuten TV', 'https://www.rakuten.tv/', '2026-11-21T00:00:00Z'),
    ('joyn', 'Joyn', 'https://www.joyn.de/', '2026-11-21T00:00:00Z'),
    ('rtl-plus', 'RTL+', 'https://plus.rtl.de/', '2026-11-21T00:00:00Z'),
    ('ard-mediathek', 'ARD Mediathek', 'https://www.ardmediathek.de/', '2026-11-21T00:00:00Z'),
    ('zdf', 'ZDF', 'https://www.zdf.de/', '2026-11-21T00:00:00Z'),
    ('filmin', 'Filmin', 'https://www.filmin.es/', '2026-11-21T00:00:00Z'),
    ('movistar-plus', 'Movistar Plus+', 'https://www.movistarplus.es/', '2026-11-21T00:00:00Z'),
    ('globoplay', 'Globoplay', 'https://globoplay.globo.com/', '2026-11-21T00:00:00Z');

INSERT INTO platform_aliases (alias, platform_id)
SELECT a.alias, p.id FROM (
SELECT 'netflix' AS alias, 'netflix' AS slug
    UNION ALL SELECT 'primevideo', 'prime-video'
    UNION ALL SELECT 'amazonprimevideo', 'prime-video'
    UNION ALL SELECT 'amazonprime', 'prime-video'
    UNION ALL SELECT 'prime', 'prime-video'
    UNION ALL SELECT 'amazonprimevideowithads', 'prime-video'
    UNION ALL SELECT 'amazonvideo', 'amazon-video'
    UNION ALL SELECT 'amazon', 'amazon-video'
    UNION ALL SELECT 'amazoninstantvideo', 'amazon-video'
    UNION ALL SELECT 'disneyplus', 'disney-plus'
    UNION ALL SELECT 'disney', 'disney-plus'
    UNION ALL SELECT 'hulu', 'hulu'
    UNION ALL SELECT 'max', 'max'
    UNION ALL SELECT 'hbomax', 'max'
    UNION ALL SELECT 'hbo', 'max'
    UNION ALL SELECT 'hbogo', 'max'
    UNION ALL SELECT 'hbonow', 'max'
    UNION ALL SELECT 'appletvplus', 'apple-tv-plus'
    UNION ALL SELECT 'appletvplusamazonchannel', 'apple-tv-plus'
    UNION ALL SELECT 'appletv', 'apple-tv'
    UNION ALL SELECT 'itunes', 'apple-tv'
    UNION ALL SELECT 'appleitunes', 'apple-tv'
    UNION ALL SELECT 'appletvstore', 'apple-tv'
    UNION ALL SELECT 'paramountplus', 'paramount-plus'
    UNION ALL SELECT 'paramountpluspremium', 'paramount-plus'
    UNION ALL SELECT 'cbsallaccess', 'paramount-plus'
    UNION ALL SELECT 'peacock', 'peacock'
    UNION ALL SELECT 'peacockpremium', 'peacock'
    UNION ALL SELECT 'peacockpremiumplus', 'peacock'
    UNION ALL SELECT 'crunchyroll', 'crunchyroll'
    UNION ALL SELECT 'mubi', 'mubi'
    UNION ALL SELECT 'criterionchannel', 'criterion-channel'
    UNION ALL SELECT 'thecriterionchannel', 'criterion-channel'
    UNION ALL SELECT 'tubi', 'tubi'
    UNION ALL SELECT 'tubitv', 'tubi'
    UNION ALL SELECT 'plutotv', 'pluto-tv'
    UNION ALL SELECT 'youtube', 'youtube'
    UNION ALL SELECT 'youtubepremium', 'youtube'
    UNION ALL SELECT 'youtubefree', 'youtube'
    UNION ALL SELECT 'starz', 'starz'
    UNION ALL SELECT 'mgmplus', 'mgm-plus'
    UNION ALL SELECT 'epix', 'mgm-plus'
    UNION ALL SELECT 'amcplus', 'amc-plus'
    UNION ALL SELECT 'showtime', 'showtime'
    UNION ALL SELECT 'britbox', 'britbox'
    UNION ALL SELECT 'acorntv', 'acorn-tv'
    UNION ALL SELECT 'shudder', 'shudder'
    UNION ALL SELECT 'freevee', 'freevee'
    UNION ALL SELECT 'amazonfreevee', 'freevee'
    UNION ALL SELECT 'imdbtv', 'freevee'
    UNION ALL SELECT 'rokuchannel', 'roku-channel'
    UNION ALL SELECT 'therokuchannel', 'roku-channel'
    UNION ALL SELECT 'fandangoathome', 'fandango-at-home'
    UNION ALL SELECT 'vudu', 'fandango-at-home'
    UNION ALL SELECT 'googleplay', 'google-play'
    UNION ALL SELECT 'googleplaymovies', 'google-play'
    UNION ALL SELECT 'googletv', 'google-play'
    UNION ALL SELECT 'kanopy', 'kanopy'
    UNION ALL SELECT 'hoopla', 'hoopla'
    UNION ALL SELECT 'plex', 'plex'
    UNION ALL SELECT 'plexchannel', 'plex'
    UNION ALL SELECT 'discoveryplus', 'discovery-plus'
    UNION ALL SELECT 'curiositystream', 'curiosity-stream'
    UNION ALL SELECT 'fubo', 'fubo'
    UNION ALL SELECT 'fubotv', 'fubo'
    UNION ALL SELECT 'slingtv', 'sling-tv'
    UNION ALL SELECT 'sling', 'sling-tv'
    UNION ALL SELECT 'bbciplayer', 'bbc-iplayer'
    UNION ALL SELECT 'iplayer', 'bbc-iplayer'
    UNION ALL SELECT 'itvx', 'itvx'
    UNION ALL SELECT 'itvhub', 'itvx'
    UNION ALL SELECT 'itvxpremium', 'itvx'
    UNION ALL SELECT 'channel4', 'channel-4'
    UNION ALL SELECT 'all4', 'channel-4'
    UNION ALL SELECT 'now', 'now'
    UNION ALL SELECT 'nowtv', 'now'
    UNION ALL SELECT 'nowtvcinema', 'now'
    UNION ALL SELECT 'skygo', 'now'
    UNION ALL SELECT 'sky', 'sky'
    UNION ALL SELECT 'skystore', 'sky'
    UNION ALL SELECT 'canalplus', 'canal-plus'
    UNION ALL SELECT 'mycanal', 'canal-plus'
    UNION ALL SELECT 'stan', 'stan'
    UNION ALL SELECT 'crave', 'crave'
    UNION ALL SELECT 'jiohotstar', 'jiohotstar'
    UNION ALL SELECT 'hotstar', 'jiohotstar'
    UNION ALL SELECT 'disneyplushotstar', 'jiohotstar'
    UNION ALL SELECT 'jiocinema', 'jiohotstar'
    UNION ALL SELECT 'zee5', 'zee5'
    UNION ALL SELECT 'viki', 'viki'
    UNION ALL SELECT 'rakutenviki', 'viki'
    UNION ALL SELECT 'rakutentv', 'rakuten-tv'
    UNION ALL SELECT 'joyn', 'joyn'
    UNION ALL SELECT 'rtlplus', 'rtl-plus'
    UNION ALL SELECT 'ardmediathek', 'ard-mediathek'
    UNION ALL SELECT 'zdf', 'zdf'
    UNION ALL SELECT 'zdfmediathek', 'zdf'
    UNION ALL SELECT 'filmin', 'filmin'
    UNION ALL SELECT 'movistarplus', 'movistar-plus'
    UNION ALL SELECT 'movistarplusplus', 'movistar-plus'
    UNION ALL SELECT 'globoplay', 'globoplay'
) a JOIN platforms p ON p.slug = a.slug;
