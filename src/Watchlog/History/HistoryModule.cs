using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Watchlog.Accounts;
using Watchlog.History.Formats;
using Watchlog.Tracking;
using Watchlog.Web;

namespace Watchlog.History;

/// <summary>
/// History imports: <c>POST /api/imports</c> stores the upload and queues it, <c>GET /api/imports/{id}</c> its status,
/// <c>/rows</c> every row as read, <c>/review</c> the rows waiting for a decision, <c>POST …/review/{row}</c> the decision.
/// </summary>
public static class HistoryModule
{
    const int MaxLimit = 500;

    public static void AddHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IHistoryFormat, NetflixHistoryFormat>();
        builder.Services.AddSingleton<IHistoryFormat, NetflixActivityFormat>();
        builder.Services.AddSingleton<IHistoryFormat, LetterboxdFormat>();
        builder.Services.AddSingleton<IHistoryFormat, ImdbRatingsFormat>();
        builder.Services.AddSingleton<IHistoryFormat, TraktFormat>();
        builder.Services.AddSingleton<IHistoryFormat, WatchlogFormat>();
        builder.Services.AddSingleton<Matcher>();
        builder.Services.AddSingleton<HistoryImporter>();
        builder.Services.AddSingleton<ImportStore>();
        builder.Services.AddSingleton<ReviewDecisions>();
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddSingleton<LocalImportRunner>();
        builder.Services.AddHostedService(s => s.GetRequiredService<LocalImportRunner>());
        builder.Services.AddTransient<HistoryImportJob>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HistoryJsonContext.Default));
    }

    public static void MapHistory(this WebApplication app, IEndpointRouteBuilder api)
    {
        app.MapHistoryPages();
        var imports = api.Personal("/imports").WithTags("History imports");
        imports.MapPost("", CreateAsync)
            .WithSummary("Import your viewing history from a file (multipart: format, file, optional profile); runs in the background")
            .WithDescription("""
                `format` is netflix-history, netflix-activity, letterboxd, imdb-ratings, trakt or watchlog. The file is checked
                at once (a file that can't be read is a 400 naming `file`, and nothing is stored), then stored and imported by a
                background job: follow the `Location` (GET /api/imports/{id}) until `status` is done or failed.
                """)
            .Produces<ImportView>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(415);
        imports.MapGet("", ListAsync).WithSummary("Your imports, newest first").Produces<ImportList>().ProducesProblem(401);
        imports.MapGet("/{id:long}", GetAsync).WithSummary("An import's status and counts")
            .Produces<ImportView>().ProducesProblem(401).ProducesProblem(404);
        imports.MapGet("/{id:long}/rows", RowsAsync).WithSummary("Every row as read, with what it matched; cursor-paginated")
            .Produces<ImportRowPage>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404);
        imports.MapGet("/{id:long}/review", ReviewAsync).WithSummary("Rows waiting for a decision, with their candidates; cursor-paginated")
            .Produces<ReviewPage>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404);
        imports.MapPost("/{id:long}/review/{row:int}", DecideAsync)
            .WithSummary("Decide a row: {title_id, episode_id?} (a candidate or any title) or {skip: true}")
            .Accepts<ReviewDecision>("application/json")
            .Produces<ImportRowView>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404).ProducesProblem(409);
    }

    static async Task<IResult> CreateAsync(HttpContext http, CurrentUser me, HistoryImporter importer, ImportStore store, ImportQueue queue,
        TimeProvider clock, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = ImportInput.MaxBytes + (1 << 20);
        if (!http.Request.HasFormContentType)
            return FieldErrors.One("file", "Send a multipart/form-data form with the fields format and file (and profile for netflix-activity).");
        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(ct); }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return FieldErrors.One("file", $"The form cannot be read: {e.Message}");
        }
        var (id, errors) = await StartAsync(form, me, importer, store, queue, clock, ct);
        if (errors is not null) return errors.ToResult();
        var view = await store.GetAsync(me.Id, id!.Value, ct);
        return TypedResults.Accepted($"/api/imports/{id}", view);
    }

    /// <summary>
    /// Checks an upload form (format, file, profile), stores the file and queues its import; shared by the API and the
    /// web UI's imports page. A file that can't be imported is refused at once, with nothing stored.
    /// </summary>
    internal static async Task<(long? Id, FieldErrors? Errors)> StartAsync(IFormCollection form, CurrentUser me, HistoryImporter importer,
        ImportStore store, ImportQueue queue, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var formatName = form["format"].ToString().Trim();
        var format = importer.Format(formatName);
        if (formatName.Length == 0) errors.Add("format", $"format is required: one of {string.Join(", ", importer.FormatNames)}.");
        else if (format is null) errors.Add("format", $"Unknown format '{formatName}': use one of {string.Join(", ", importer.FormatNames)}.");
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0) errors.Add("file", "Attach the export as the form field 'file'.");
        else if (file.Length > ImportInput.MaxBytes) errors.Add("file", $"The file is larger than {ImportInput.MaxBytes >> 20} MB.");
        var profile = form["profile"].ToString().Trim();
        if (profile.Length > 200) errors.Add("profile", "profile is at most 200 characters.");
        if (errors.Any) return (null, errors);

        var bytes = new byte[file!.Length];
        await using (var s = file.OpenReadStream()) await s.ReadExactlyAsync(bytes, ct);
        var (problem, field) = Check(format!, bytes, file.FileName, profile, me.Zone);
        if (problem is not null) return (null, new FieldErrors().Add(field, problem));

        var now = clock.GetUtcNow().UtcDateTime;
        var id = await store.CreateAsync(me.Id, format!.Name, "upload", profile.Length > 0 ? profile : null, Path.GetFileName(file.FileName), bytes, now, ct);
        await queue.EnqueueAsync(id, ct);
        return (id, null);
    }

    /// <summary>Parses the file once; returns the problem and the form field it belongs to, or (null, "") when it can be imported.</summary>
    public static (string? Problem, string Field) Check(IHistoryFormat format, byte[] bytes, string? fileName, string? profile, TimeZoneInfo zone)
    {
        try
        {
            format.Parse(ImportInput.From(bytes, fileName), new ImportOptions(profile is { Length: > 0 } ? profile : null, zone));
            return (null, "");
        }
        catch (HistoryFileException e) { return (e.Message, e.Message.Contains("no profile", StringComparison.Ordinal) ? "profile" : "file"); }
    }

    static async Task<IResult> ListAsync(CurrentUser me, ImportStore store, CancellationToken ct, string? cursor = null, string? limit = null)
    {
        var errors = new FieldErrors();
        long? before = null;
        if (cursor is { Length: > 0 })
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) before = b;
            else errors.Add("cursor", "Use the next_cursor of the previous page.");
        }
        var take = TrackingRules.QueryInt(limit, "limit", 1, 100, errors) ?? 20;
        if (errors.Any) return errors.ToResult();
        return TypedResults.Ok(await store.ListAsync(me.Id, before, take, ct));
    }

    static async Task<IResult> GetAsync(long id, CurrentUser me, ImportStore store, CancellationToken ct) =>
        await store.GetAsync(me.Id, id, ct) is { } view ? TypedResults.Ok(view) : TrackingRules.NotFound($"You have no import with id {id}.");

    static (int After, int Take, FieldErrors Errors) Page(string? cursor, string? limit)
    {
        var errors = new FieldErrors();
        var after = 0;
        if (cursor is { Length: > 0 } && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            errors.Add("cursor", "Use the next_cursor of the previous page.");
        var take = TrackingRules.QueryInt(limit, "limit", 1, MaxLimit, errors) ?? 100;
        return (after, take, errors);
    }

    static async Task<IResult> RowsAsync(long id, CurrentUser me, ImportStore store, CancellationToken ct, string? cursor = null, string? limit = null)
    {
        var (after, take, errors) = Page(cursor, limit);
        if (errors.Any) return errors.ToResult();
        var rows = await store.RowsAsync(me.Id, id, after, take + 1, reviewOnly: false, ct);
        if (rows is null) return TrackingRules.NotFound($"You have no import with id {id}.");
        var page = rows.Take(take).Select(r => r.View).ToList();
        return TypedResults.Ok(new ImportRowPage(page, rows.Count > take ? page[^1].Row.ToString(CultureInfo.InvariantCulture) : null));
    }

    static async Task<IResult> ReviewAsync(long id, CurrentUser me, ImportStore store, CancellationToken ct, string? cursor = null, string? limit = null)
    {
        var (after, take, errors) = Page(cursor, limit);
        if (errors.Any) return errors.ToResult();
        var rows = await store.RowsAsync(me.Id, id, after, take + 1, reviewOnly: true, ct);
        if (rows is null) return TrackingRules.NotFound($"You have no import with id {id}.");
        var page = rows.Take(take).Select(r => new ReviewItem(r.RowNo, r.File, r.Line, r.Parsed, r.Confidence, r.Reason, ImportStore.Candidates(r.Candidates))).ToList();
        return TypedResults.Ok(new ReviewPage(page, rows.Count > take ? page[^1].Row.ToString(CultureInfo.InvariantCulture) : null));
    }

    static async Task<IResult> DecideAsync(long id, int row, HttpRequest http, CurrentUser me, ReviewDecisions decisions, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http, HistoryJsonContext.Default.ReviewDecision, ct);
        if (error is not null) return error;
        return await decisions.DecideAsync(me.Id, id, row, body!, ct) switch
        {
            DecisionOutcome.Done d => TypedResults.Ok(d.Row),
            DecisionOutcome.Invalid i => i.Errors.ToResult(),
            DecisionOutcome.NotFound n => TrackingRules.NotFound(n.Detail),
            DecisionOutcome.Conflict c => TypedResults.Problem(c.Detail, statusCode: StatusCodes.Status409Conflict, title: "Already decided"),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}."),
        };
    }
}
