using System.Text.Json;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Tracking;

/// <summary>A change to one setting: absent (null) keeps the stored value, a <see cref="Change{T}"/> replaces it (possibly with null).</summary>
public readonly record struct Change<T>(T Value);

public sealed record PreferencesPatch(
    IReadOnlyList<string>? Moods, IReadOnlyList<long>? AvoidGenreIds,
    Change<string?>? Email, Change<string?>? TelegramChatId, Change<string?>? DigestDay, Change<int?>? DigestHour);

/// <summary>The services a user subscribes to, and their preferences; always scoped to the owner in SQL.</summary>
public sealed class PreferenceStore(Db db)
{
    sealed record PreferencesRow
    {
        public string Moods { get; init; } = "[]";
        public string? NotifyEmail { get; init; }
        public string? TelegramChatId { get; init; }
        public string? DigestDay { get; init; }
        public int? DigestHour { get; init; }
    }

    sealed record PlatformRow
    {
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
    }

    public async Task<MyPlatforms?> GetPlatformsAsync(long userId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var region = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT region FROM users WHERE id = @userId", new { userId }, cancellationToken: ct));
        if (region is null) return null;
        var platforms = await conn.QueryAsync<PlatformRow>(new CommandDefinition("""
            SELECT p.slug, p.name FROM user_platforms up JOIN platforms p ON p.id = up.platform_id
            WHERE up.user_id = @userId ORDER BY p.name
            """, new { userId }, cancellationToken: ct));
        return new MyPlatforms(region, platforms.Select(p => new PlatformRef(p.Slug, p.Name)).ToList());
    }

    /// <summary>Replaces the subscribed platforms and sets the user's region, together (updating the user's row first also
    /// serializes concurrent replacements on PostgreSQL).</summary>
    public Task SetPlatformsAsync(long userId, string region, IReadOnlyCollection<long> platformIds, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("UPDATE users SET region = @region, updated_at = @now WHERE id = @userId", new { region, now, userId }, tx);
            await conn.ExecuteAsync("DELETE FROM user_platforms WHERE user_id = @userId", new { userId }, tx);
            foreach (var platformId in platformIds)
                await conn.ExecuteAsync("INSERT INTO user_platforms (user_id, platform_id) VALUES (@userId, @platformId)", new { userId, platformId }, tx);
        }, ct);

    public async Task<Preferences> GetPreferencesAsync(long userId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await ReadAsync(conn, null, userId);
    }

    async Task<Preferences> ReadAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx, long userId)
    {
        var row = await conn.QuerySingleOrDefaultAsync<PreferencesRow>(db.Pick(
            sqlite: "SELECT moods, notify_email, telegram_chat_id, digest_day, digest_hour FROM user_preferences WHERE user_id = @userId",
            postgres: "SELECT moods::text AS moods, notify_email, telegram_chat_id, digest_day, digest_hour FROM user_preferences WHERE user_id = @userId"),
            new { userId }, tx) ?? new PreferencesRow();
        var genres = await conn.QueryAsync<string>("""
            SELECT g.slug FROM user_avoid_genres ug JOIN genres g ON g.id = ug.genre_id WHERE ug.user_id = @userId ORDER BY g.slug
            """, new { userId }, tx);
        var moods = JsonSerializer.Deserialize(row.Moods, TrackingApiJsonContext.Default.StringArray) ?? [];
        return new Preferences(moods, genres.ToList(), new NotificationSettings(row.NotifyEmail, row.TelegramChatId, row.DigestDay, row.DigestHour));
    }

    /// <summary>Applies the changes over what is stored, read inside the write so concurrent changes to other fields are kept.</summary>
    public Task<Preferences> PatchAsync(long userId, PreferencesPatch patch, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (conn, tx) =>
        {
            // SQLite has one writer; on PostgreSQL the user's row serializes concurrent PATCHes (the preferences row may not exist yet).
            if (db.Dialect == Dialect.Postgres)
                await conn.ExecuteAsync("SELECT 1 FROM users WHERE id = @userId FOR UPDATE", new { userId }, tx);
            var current = await ReadAsync(conn, tx, userId);
            var n = current.Notifications;
            var moods = JsonSerializer.Serialize((patch.Moods ?? current.Moods).ToArray(), TrackingApiJsonContext.Default.StringArray);
            await conn.ExecuteAsync(db.Pick(
                sqlite: """
                    INSERT INTO user_preferences (user_id, moods, notify_email, telegram_chat_id, digest_day, digest_hour, updated_at)
                    VALUES (@userId, @moods, @email, @telegram, @day, @hour, @now)
                    ON CONFLICT (user_id) DO UPDATE SET moods = excluded.moods, notify_email = excluded.notify_email,
                        telegram_chat_id = excluded.telegram_chat_id, digest_day = excluded.digest_day,
                        digest_hour = excluded.digest_hour, updated_at = excluded.updated_at
                    """,
                postgres: """
                    INSERT INTO user_preferences (user_id, moods, notify_email, telegram_chat_id, digest_day, digest_hour, updated_at)
                    VALUES (@userId, @moods::jsonb, @email, @telegram, @day, @hour, @now)
                    ON CONFLICT (user_id) DO UPDATE SET moods = excluded.moods, notify_email = excluded.notify_email,
                        telegram_chat_id = excluded.telegram_chat_id, digest_day = excluded.digest_day,
                        digest_hour = excluded.digest_hour, updated_at = excluded.updated_at
                    """), new
            {
                userId,
                moods,
                email = patch.Email is { } e ? e.Value : n.Email,
                telegram = patch.TelegramChatId is { } t ? t.Value : n.TelegramChatId,
                day = patch.DigestDay is { } d ? d.Value : n.DigestDay,
                hour = patch.DigestHour is { } h ? h.Value : n.DigestHour,
                now,
            }, tx);
            if (patch.AvoidGenreIds is { } genreIds)
            {
                await conn.ExecuteAsync("DELETE FROM user_avoid_genres WHERE user_id = @userId", new { userId }, tx);
                foreach (var genreId in genreIds)
                    await conn.ExecuteAsync("INSERT INTO user_avoid_genres (user_id, genre_id) VALUES (@userId, @genreId)", new { userId, genreId }, tx);
            }
            return await ReadAsync(conn, tx, userId);
        }, ct);

    /// <summary>Genre ids by slug, for the slugs the catalog knows.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GenreIdsAsync(IReadOnlyCollection<string> slugs, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<(string Slug, long Id)>(new CommandDefinition(
            db.Pick("SELECT slug, id FROM genres WHERE slug IN @slugs", "SELECT slug, id FROM genres WHERE slug = ANY(@slugs)"),
            new { slugs = slugs.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Slug, r => r.Id, StringComparer.Ordinal);
    }
}
