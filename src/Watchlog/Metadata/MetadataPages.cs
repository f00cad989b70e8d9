using Watchlog.Web;

namespace Watchlog.Metadata;

/// <summary>The job monitor page's re-sync form (Metadata/Pages/Jobs.razor): the same queueing as <c>POST /api/admin/sync/{id}</c>.</summary>
public static class MetadataPages
{
    public const string Path = "/admin/jobs";

    public static void MapMetadataPages(this IEndpointRouteBuilder app) => app.MapForm("/admin/jobs/resync", ResyncAsync);

    static async Task<IResult> ResyncAsync(HttpContext http, SyncQueue queue, CancellationToken ct)
    {
        if (!WebAuth.Me(http).IsAdmin)
            return TypedResults.Problem("Only administrators can queue syncs.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        var form = await http.Request.ReadFormAsync(ct);
        var status = form.Optional("status") is { } s && JobMonitorReader.Statuses.Contains(s) ? s : null;
        var back = status is null ? Path : $"{Path}?status={status}";
        if (!long.TryParse(form.Field("title_id"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var titleId))
        {
            WebAuth.Flash(http, "Choose a title to re-sync.", error: true);
            return WebAuth.SeeOther(http, back);
        }
        var (outcome, title) = await queue.RequeueAsync(titleId, ct);
        var name = string.IsNullOrEmpty(title) ? $"title {titleId}" : $"“{title}”";
        switch (outcome)
        {
            case Requeue.Queued: WebAuth.Flash(http, $"A sync of {name} is queued."); break;
            case Requeue.AlreadyQueued: WebAuth.Flash(http, $"A sync of {name} was already queued or running."); break;
            case Requeue.NoSuchTitle: WebAuth.Flash(http, $"There is no title with id {titleId}.", error: true); break;
            default: WebAuth.Flash(http, "No metadata provider (or job scheduler) is configured, so nothing can be synced.", error: true); break;
        }
        return WebAuth.SeeOther(http, back);
    }
}
