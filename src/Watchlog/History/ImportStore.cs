using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Watchlog.Data;

namespace Watchlog.History;

/// <summary>History imports as their owner sees them: status, rows, the review queue. Every query is scoped to the owner in SQL.</summary>
public sealed class ImportStore(Db db)
{
    sealed record ImportRowDb
    {
        public long Id { get; init; }
        public string Format { get; init; } = "";
        public string Source { get; init; } = "";
        public string Status { get; init; } = "";
        public string? FileName { get; init; }
        public string? Profile { get; init; }
        public string? Error { get; init; }
        public int RowsRead { get; init; }
        public int Matched { get; init; }
        public int Review { get; init; }
        public int Skipped { get; init; }
        public int Added { get; init; }
        public int Duplicates { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
    }

    public sealed record RowDb
    {
        public int RowNo { get; init; }
        public string? File { get; init; }
        public int Line { get; init; }
        public string Action { get; init; } = "";
        public string? Kind { get; init; }
        public string? Title { get; init; }
        public int? Year { get; init; }
        public int? Season { get; init; }
        public int? Episode { get; init; }
        public string? EpisodeTitle { get; init; }
        public DateTime? WatchedAt { get; init; }
        public int DateOnly { get; init; }
        public int? Rating { get; init; }
        public string? Platform { get; init; }
        public string? Note { get; init; }
        public string Status { get; init; } = "";
        public string? Result { get; init; }
        public long? TitleId { get; init; }
        public long? EpisodeId { get; init; }
        public double? Confidence { get; init; }
        public string? Reason { get; init; }
        public string? Candidates { get; init; }
        public long? CheckinId { get; init; }

        public ParsedFields Parsed => new(Action, Kind, Title, Year, Season, Episode, EpisodeTitle,
            WatchedAt is { } w ? DateTime.SpecifyKind(w, DateTimeKind.Utc) : null, DateOnly != 0, Rating, Platform);

        public ImportRowView View => new(RowNo, File, Line, Status, Result, Parsed, new RowMatch(TitleId, EpisodeId, Confidence, Reason), CheckinId);

        public ImportRow ToImportRow() => new()
        {
            File = File, Line = Line, Action = Action switch { "rating" => RowAction.Rating, "watchlist" => RowAction.Watchlist, _ => RowAction.Watch },
            Kind = Kind, Title = Title, Year = Year, Season = Season, Episode = Episode, EpisodeTitle = EpisodeTitle,
            WatchedAt = WatchedAt is { } w ? DateTime.SpecifyKind(w, DateTimeKind.Utc) : null, DateOnly = DateOnly != 0, Rating = Rating, Platform = Platform, Note = Note,
        };
    }

    const string ImportColumns = """
        id, format, source, status, file_name, profile, error, rows_read, matched, review, skipped, added, duplicates, created_at, started_at, finished_at
        """;
    const string RowColumns = """
        row_no, file, line, action, kind, title, year, season, episode, episode_title, watched_at, date_only, rating, platform, note,
        status, result, title_id, episode_id, confidence, reason, candidates, checkin_id
        """;

    /// <summary>Stores a new import with its file, queued.</summary>
    public Task<long> CreateAsync(long userId, string format, string source, string? profile, string? fileName, byte[] content, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (conn, tx) =>
        {
            var id = await conn.ExecuteScalarAsync<long>("""
                INSERT INTO history_imports (user_id, format, source, profile, file_name, status, created_at)
                VALUES (@userId, @format, @source, @profile, @fileName, 'queued', @now) RETURNING id
                """, new { userId, format, source, profile, fileName, now }, tx);
            await conn.ExecuteAsync("INSERT INTO history_import_files (import_id, content) VALUES (@id, @content)", new { id, content }, tx);
            return id;
        }, ct);

    public async Task<ImportView?> GetAsync(long userId, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<ImportRowDb>(new CommandDefinition(
            $"SELECT {ImportColumns} FROM history_imports WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
        if (row is null) return null;
        var reasons = (await conn.QueryAsync<(string Reason, long Count)>(new CommandDefinition("""
            SELECT r.reason, count(*) FROM history_import_rows r JOIN history_imports i ON i.id = r.import_id
            WHERE r.import_id = @id AND i.user_id = @userId AND r.status = 'skipped'
            GROUP BY r.reason ORDER BY count(*) DESC, r.reason LIMIT 20
            """, new { id, userId }, cancellationToken: ct))).Select(r => new SkipReason(r.Reason ?? "", (int)r.Count)).ToList();
        return View(row, reasons);
    }

    public async Task<ImportList> ListAsync(long userId, long? before, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<ImportRowDb>(new CommandDefinition($"""
            SELECT {ImportColumns} FROM history_imports WHERE user_id = @userId AND id < @before ORDER BY id DESC LIMIT @take
            """, new { userId, before = before ?? long.MaxValue, take = limit + 1 }, cancellationToken: ct))).ToList();
        var page = rows.Take(limit).Select(r => View(r, [])).ToList();
        return new ImportList(page, rows.Count > limit ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    static ImportView View(ImportRowDb r, IReadOnlyList<SkipReason> reasons) => new(r.Id, r.Format, r.Source, r.Status, r.FileName, r.Profile, r.Error,
        r.RowsRead, r.Matched, r.Review, r.Skipped, r.Added, r.Duplicates, reasons, Utc(r.CreatedAt), r.StartedAt is { } s ? Utc(s) : null,
        r.FinishedAt is { } f ? Utc(f) : null);

    static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    /// <summary>Rows after <paramref name="after"/> (a row number), in file order; null when the import isn't the user's.</summary>
    public async Task<IReadOnlyList<RowDb>?> RowsAsync(long userId, long importId, int after, int take, bool reviewOnly, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var owned = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM history_imports WHERE id = @importId AND user_id = @userId", new { importId, userId }, cancellationToken: ct));
        if (owned == 0) return null;
        return (await conn.QueryAsync<RowDb>(new CommandDefinition($"""
            SELECT {RowColumns} FROM history_import_rows
            WHERE import_id = @importId AND row_no > @after{(reviewOnly ? " AND status = 'review'" : "")}
            ORDER BY row_no LIMIT @take
            """, new { importId, after, take }, cancellationToken: ct))).ToList();
    }

    public static IReadOnlyList<CandidateView> Candidates(string? json) => json is null ? [] :
        (JsonSerializer.Deserialize(json, HistoryJsonContext.Default.ListCandidate) ?? [])
        .Select(c => new CandidateView(c.TitleId, c.EpisodeId, c.Title, c.Kind, c.Year, c.Season, c.Number, c.EpisodeTitle)).ToList();

    public static async Task<RowDb?> RowForUpdateAsync(DbConnection conn, DbTransaction tx, long userId, long importId, int rowNo) =>
        await conn.QuerySingleOrDefaultAsync<RowDb>($"""
            SELECT {RowColumns} FROM history_import_rows
            WHERE import_id = @importId AND row_no = @rowNo
              AND EXISTS (SELECT 1 FROM history_imports i WHERE i.id = @importId AND i.user_id = @userId)
            """, new { importId, rowNo, userId }, tx);
}
