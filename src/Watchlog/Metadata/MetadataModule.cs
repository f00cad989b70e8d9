using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Quartz;
using Watchlog.Accounts;
using Watchlog.Catalog;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Metadata;

/// <summary>
/// TMDB and TheTVDB behind <see cref="IMetadataSource"/>, database-first lookups (a missing title answers 202 and gets one
/// queued sync), the sync jobs and schedules, and the admin job monitor. See docs/metadata.md.
/// </summary>
public static class MetadataModule
{
    public static void AddMetadata(this IHostApplicationBuilder builder, WatchlogSettings settings)
    {
        var options = MetadataOptions.From(builder.Configuration);
        var s = builder.Services;
        s.AddSingleton(options);
        s.AddSingleton(sp => new TmdbClient(ProviderHandler.CreateClient("tmdb", options.Tmdb, options.RequestTimeout, RetryDelay(builder.Configuration),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Watchlog.Metadata.Tmdb")), options));
        s.AddSingleton(sp => new TvdbClient(ProviderHandler.CreateClient("tvdb", options.Tvdb, options.RequestTimeout, RetryDelay(builder.Configuration),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Watchlog.Metadata.Tvdb")), options, sp.GetRequiredService<TimeProvider>()));
        s.AddSingleton<TitleFetcher>();
        s.AddSingleton<TitleSync>();
        s.AddSingleton<SyncLog>();
        s.AddSingleton<SyncQueue>();
        s.AddSingleton<StaleTitles>();
        s.AddSingleton<PeopleSync>();
        s.AddSingleton<RemoteSearch>();
        s.AddSingleton<JobMonitorReader>();
        s.AddSingleton<History.IMissingTitleQueue, MissingTitleQueue>();
        s.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, MetadataJsonContext.Default));
        if (!settings.JobsEnabled) return;
        s.AddTransient<SyncTitleJob>();
        s.AddTransient<LookupTitleJob>();
        s.AddQuartz(q =>
        {
            q.AddJob<StaleRefreshJob>(j => j.WithIdentity(StaleRefreshJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(StaleRefreshJob.Key).WithIdentity("stale-refresh-weekly", "metadata").WithCronSchedule(options.StaleRefreshCron));
            q.AddJob<PeopleRefreshJob>(j => j.WithIdentity(PeopleRefreshJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(PeopleRefreshJob.Key).WithIdentity("people-refresh-weekly", "metadata").WithCronSchedule(options.PeopleRefreshCron));
            q.AddJob<SyncLogCleanupJob>(j => j.WithIdentity(SyncLogCleanupJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(SyncLogCleanupJob.Key).WithIdentity("sync-log-cleanup-monthly", "metadata").WithCronSchedule(options.SyncLogCleanupCron));
        });
    }

    /// <summary>The first retry's delay inside one provider call (tests shorten it).</summary>
    static TimeSpan RetryDelay(IConfiguration config) =>
        double.TryParse(config["Watchlog:Metadata:HttpRetryDelayMs"], System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms >= 0
            ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromMilliseconds(500);

    public static void MapMetadata(this WebApplication app, IEndpointRouteBuilder api)
    {
        app.MapMetadataPages();
        api.MapGet("/titles/lookup", LookupAsync).WithTags("Catalog")
            .WithSummary("A title by TMDB, TheTVDB or IMDb id: 200 when stored; 202 with Location while its first sync is queued")
            .Produces<TitleDetails>().Produces(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(404);
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(AccountsModule.AdminPolicy).WithPrivateNoStore();
        admin.MapGet("/jobs", JobsAsync).WithSummary("The job monitor: sync counts, scheduled jobs with fire times, recent executions (admins)")
            .Produces<JobMonitor>().ProducesProblem(401).ProducesProblem(403);
        admin.MapPost("/sync/{title_id:long}", ResyncAsync).DisableAntiforgery()
            .WithSummary("Queue a sync of a title now (admins)")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }

    /// <summary>The 202 a pending title answers with: where to look, and when.</summary>
    public static IResult Accepted(HttpContext http, long titleId, string message)
    {
        http.Response.Headers.RetryAfter = "5";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Accepted($"{http.Request.PathBase}/api/titles/{titleId}",
            new PendingTitle(titleId, "pending", message));
    }

    static async Task<IResult> LookupAsync(HttpContext http, SyncQueue queue, SyncLog log, TitleCache titles, MetadataOptions options,
        TimeProvider clock, Db db, CancellationToken ct, string? tmdb = null, string? tvdb = null, string? imdb = null, string? type = null)
    {
        var errors = new FieldErrors();
        var given = new[] { tmdb, tvdb, imdb }.Count(x => x is not null);
        if (given != 1) errors.Add(tmdb is null && tvdb is null && imdb is null ? "tmdb" : "imdb", "Give exactly one of tmdb, tvdb or imdb.");
        int? tmdbId = Positive(errors, "tmdb", tmdb), tvdbId = Positive(errors, "tvdb", tvdb);
        if (imdb is not null && !EntryRules.IsImdbTitleId(imdb)) errors.Add("imdb", "Must look like tt0903747.");
        if (type is not null && type is not ("movie" or "series")) errors.Add("type", "Must be 'movie' or 'series'.");
        else if (type is null && (tmdb is not null || tvdb is not null)) errors.Add("type", "Required with tmdb or tvdb: 'movie' or 'series'.");
        if (errors.Any) return errors.ToResult();

        var kind = type ?? "movie";
        var where = tmdbId is not null ? "kind = @kind AND tmdb_id = @tmdbId" : tvdbId is not null ? "kind = @kind AND tvdb_id = @tvdbId" : "imdb_id = @imdb";
        Found? found;
        await using (var conn = await db.OpenAsync(ct))
            found = await conn.QuerySingleOrDefaultAsync<Found>(new CommandDefinition(
                $"SELECT id, sync_state, last_synced_at FROM titles WHERE {where}", new { kind, tmdbId, tvdbId, imdb }, cancellationToken: ct));

        if (found is { SyncState: null } stored)
        {
            if (queue.IsStale(stored.LastSyncedAt, true)) queue.RefreshInBackground(stored.Id);
            return await StoredAsync(stored.Id);
        }
        if (!queue.CanQueue) return NotFound("The title isn't in the catalog and no metadata provider (or job scheduler) is configured to fetch it.");
        var reference = TitleSync.Reference(kind, tmdbId, tvdbId, imdb);
        if (found is null && await log.NotFoundSinceAsync(reference, clock.GetUtcNow().UtcDateTime - options.NotFoundFor, ct))
            return NotFound("The metadata provider has no title with this id.");

        var pending = await queue.EnsurePendingAsync(kind, tmdbId, tvdbId, imdb, ct);
        if (pending is not { } p) return NotFound("The title can't be looked up.");
        // Synced since the read above (another request's job finished meanwhile): answer it, don't fetch it again.
        if (!p.Pending) return await StoredAsync(p.Id);
        await queue.QueueAsync(p.Id, jitter: true, ct);
        return Accepted(http, p.Id, "The title is being fetched from the metadata provider; ask again at Location.");

        async Task<IResult> StoredAsync(long id)
        {
            if (await titles.GetAsync(id, ct) is not { Pending: false } details) return NotFound($"Title {id} is gone.");
            http.Response.Headers.ContentLocation = $"{http.Request.PathBase}/api/titles/{id}";
            return HttpCaching.CachedBytes(http, details.Body!, details.ETag, "public, max-age=60");
        }
    }

    sealed class Found
    {
        public long Id { get; init; }
        public string? SyncState { get; init; }
        public DateTime? LastSyncedAt { get; init; }
    }

    static int? Positive(FieldErrors errors, string field, string? value)
    {
        if (value is null) return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        errors.Add(field, "Must be a positive whole number.");
        return null;
    }

    static IResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    static async Task<IResult> ResyncAsync(long title_id, HttpContext http, SyncQueue queue, CancellationToken ct)
    {
        var (outcome, _) = await queue.RequeueAsync(title_id, ct);
        return outcome switch
        {
            Requeue.NoSuchTitle => NotFound($"There is no title with id {title_id}."),
            Requeue.CannotQueue => TypedResults.Problem("No metadata provider (or job scheduler) is configured.", statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
            _ => TypedResults.Accepted($"{http.Request.PathBase}/api/titles/{title_id}", outcome == Requeue.Queued
                ? new PendingTitle(title_id, "queued", "A sync of the title is queued.")
                : new PendingTitle(title_id, "already_queued", "A sync of the title was already queued or running.")),
        };
    }

    static async Task<IResult> JobsAsync(JobMonitorReader monitor, CancellationToken ct, string? limit = null, string? status = null)
    {
        var errors = JobMonitorReader.Check(limit, status, out var n);
        if (errors.Any) return errors.ToResult();
        return TypedResults.Ok(await monitor.ReadAsync(n, status, ct));
    }
}

public sealed record PendingTitle(long Id, string Status, string Message);
public sealed record ScheduledJob(string Job, string Trigger, string? Cron, DateTime? NextFireTime, DateTime? PreviousFireTime, string State);
public sealed record JobMonitor(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<ScheduledJob> Scheduled, IReadOnlyList<SyncLogEntry> Recent);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PendingTitle))]
[JsonSerializable(typeof(JobMonitor))]
[JsonSerializable(typeof(RemoteSearchResponse))]
[JsonSerializable(typeof(TvdbLogin))]
[JsonSerializable(typeof(TvdbLoginNoPin))]
[JsonSerializable(typeof(string))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
