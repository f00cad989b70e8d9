using Dapper;
using Watchlog.Data;

namespace Watchlog.Catalog;

/// <summary>Catalog reads for the title, season and person endpoints.</summary>
public sealed class TitleStore(Db db)
{
    sealed class TitleRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string? OriginalTitle { get; init; }
        public int? Year { get; init; }
        public int? RuntimeMin { get; init; }
        public string? Network { get; init; }
        public string? Status { get; init; }
        public string? Certification { get; init; }
        public string? Overview { get; init; }
        public DateOnly? FirstAirDate { get; init; }
        public DateOnly? LastAirDate { get; init; }
        public double Popularity { get; init; }
        public double? CriticRating { get; init; }
        public int? CriticVotes { get; init; }
        public double? AudienceRating { get; init; }
        public int? AudienceVotes { get; init; }
        public string? Poster { get; init; }
        public string? Backdrop { get; init; }
        public string? ImdbId { get; init; }
        public int? TmdbId { get; init; }
        public int? TvdbId { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public DateTime? LastSyncedAt { get; init; }
        public string? SyncState { get; init; }
    }

    sealed class AvailabilityRow
    {
        public string Region { get; init; } = "";
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string Monetization { get; init; } = "";
        public DateOnly? AvailableFrom { get; init; }
        public DateOnly? ExpiresOn { get; init; }
    }

    public async Task<TitleDetails?> GetAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        // One round trip for the title and its six side lists (PostgreSQL runs them as one batch).
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(
            // Not raw: a synced series keeps every provider payload there (hundreds of KB), and no reader of this needs it.
            """
            SELECT id, kind, title, original_title, year, runtime_min, network, status, certification, overview, first_air_date, last_air_date,
                   popularity, critic_rating, critic_votes, audience_rating, audience_votes, poster, backdrop, imdb_id, tmdb_id, tvdb_id,
                   created_at, updated_at, last_synced_at, sync_state
            FROM titles WHERE id = @id;
            SELECT g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id WHERE tg.title_id = @id ORDER BY g.name;
            SELECT region FROM title_regions WHERE title_id = @id ORDER BY region;
            SELECT title, region, language, kind FROM title_aliases WHERE title_id = @id ORDER BY id;
            SELECT c.person_id, p.name, c.role, c.character, c.job
            FROM credits c JOIN people p ON p.id = c.person_id
            WHERE c.title_id = @id ORDER BY c.ord, c.id;
            SELECT s.number, s.name, s.air_date,
                   (SELECT count(*) FROM episodes e WHERE e.season_id = s.id) AS episode_count
            FROM seasons s WHERE s.title_id = @id ORDER BY s.number;
            SELECT a.region, pl.slug, pl.name, a.monetization, a.available_from, a.expires_on
            FROM availability a JOIN platforms pl ON pl.id = a.platform_id
            WHERE a.title_id = @id ORDER BY a.region, pl.name, a.monetization
            """, new { id }, cancellationToken: ct));
        var t = await grid.ReadSingleOrDefaultAsync<TitleRow>();
        if (t is null) return null;
        var genres = await grid.ReadAsync<string>();
        var regions = await grid.ReadAsync<string>();
        var aliases = await grid.ReadAsync<TitleAlias>();
        var credits = await grid.ReadAsync<TitleCredit>();
        var seasons = await grid.ReadAsync<SeasonSummary>();
        var availability = await grid.ReadAsync<AvailabilityRow>();

        return new TitleDetails(t.Id, t.Kind, t.Title, t.OriginalTitle, t.Year, t.RuntimeMin, t.Network, t.Status, t.Certification,
            t.Overview, t.FirstAirDate, t.LastAirDate, t.Popularity, t.CriticRating, t.CriticVotes, t.AudienceRating, t.AudienceVotes,
            t.Poster, t.Backdrop, genres.ToList(), regions.ToList(), new TitleExternalIds(t.ImdbId, t.TmdbId, t.TvdbId),
            aliases.ToList(), credits.ToList(), seasons.ToList(),
            availability.GroupBy(a => a.Region).ToDictionary(g => g.Key,
                g => (IReadOnlyList<AvailabilityItem>)g.Select(a => new AvailabilityItem(a.Slug, a.Name, a.Monetization, a.AvailableFrom, a.ExpiresOn)).ToList()),
            t.CreatedAt, t.UpdatedAt, t.LastSyncedAt, t.SyncState);
    }

    /// <summary>What a cached answer is checked against: the title's updated_at (moved by every catalog write that changes it).</summary>
    public sealed class Stamp
    {
        public DateTime UpdatedAt { get; init; }
        public string? SyncState { get; init; }
    }

    public async Task<Stamp?> StampAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Stamp>(new CommandDefinition(
            "SELECT updated_at, sync_state FROM titles WHERE id = @id", new { id }, cancellationToken: ct));
    }

    sealed class SeasonRow
    {
        public long Id { get; init; }
        public int Number { get; init; }
        public string? Name { get; init; }
        public DateOnly? AirDate { get; init; }
        public string? Overview { get; init; }
    }

    public async Task<SeasonDetails?> GetSeasonAsync(long titleId, int number, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var s = await conn.QuerySingleOrDefaultAsync<SeasonRow>(new CommandDefinition(
            "SELECT id, number, name, air_date, overview FROM seasons WHERE title_id = @titleId AND number = @number",
            new { titleId, number }, cancellationToken: ct));
        if (s is null) return null;
        var episodes = await conn.QueryAsync<EpisodeItem>(new CommandDefinition(
            "SELECT id, number, absolute_number, title, air_date, runtime_min, overview FROM episodes WHERE season_id = @id ORDER BY number",
            new { id = s.Id }, cancellationToken: ct));
        return new SeasonDetails(titleId, s.Number, s.Name, s.AirDate, s.Overview, episodes.ToList());
    }

    sealed class PersonRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string? ImdbId { get; init; }
        public int? TmdbId { get; init; }
        public DateOnly? BirthDate { get; init; }
        public DateOnly? DeathDate { get; init; }
        public int? BirthYear { get; init; }
        public int? DeathYear { get; init; }
        public string? BirthPlace { get; init; }
        public string? Biography { get; init; }
        public string? Profile { get; init; }
    }

    public async Task<PersonDetails?> GetPersonAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var p = await conn.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition(
            "SELECT id, name, imdb_id, tmdb_id, birth_date, death_date, birth_year, death_year, birth_place, biography, profile FROM people WHERE id = @id",
            new { id }, cancellationToken: ct));
        if (p is null) return null;
        var films = await conn.QueryAsync<FilmographyItem>(new CommandDefinition(
            """
            SELECT t.id AS title_id, t.title, t.kind, t.year, c.role, c.character, c.job
            FROM credits c JOIN titles t ON t.id = c.title_id
            WHERE c.person_id = @id
            ORDER BY t.year DESC, t.title, c.role
            """, new { id }, cancellationToken: ct));
        return new PersonDetails(p.Id, p.Name, p.ImdbId, p.TmdbId, p.BirthDate, p.DeathDate, p.BirthYear, p.DeathYear,
            p.BirthPlace, p.Biography, p.Profile, films.ToList());
    }

    public async Task<IReadOnlyList<PlatformItem>> PlatformsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var platforms = await conn.QueryAsync<(long Id, string Slug, string Name, string? Homepage)>(
            new CommandDefinition("SELECT id, slug, name, homepage FROM platforms ORDER BY name", cancellationToken: ct));
        var aliases = (await conn.QueryAsync<(long PlatformId, string Alias)>(
                new CommandDefinition("SELECT platform_id, alias FROM platform_aliases ORDER BY alias", cancellationToken: ct)))
            .ToLookup(a => a.PlatformId, a => a.Alias);
        return platforms.Select(p => new PlatformItem(p.Slug, p.Name, p.Homepage, aliases[p.Id].ToList())).ToList();
    }

    /// <summary>Every genre (slug and display name), by name: the web UI's search filter.</summary>
    public async Task<IReadOnlyList<GenreItem>> GenresAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<GenreItem>(new CommandDefinition("SELECT slug, name FROM genres ORDER BY name", cancellationToken: ct))).AsList();
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM titles", cancellationToken: ct));
    }
}
