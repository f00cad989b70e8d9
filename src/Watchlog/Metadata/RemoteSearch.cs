using System.Text.Json;
using Watchlog.Search;
using Watchlog.Web;

namespace Watchlog.Metadata;

/// <summary>
/// Provider results for <c>GET /api/search</c>, after the local search: asked for with <c>remote=true</c>, or on their
/// own when the local results are few and a provider is on (<c>remote=false</c> never asks). The provider gets
/// <see cref="MetadataOptions.RemoteSearchTimeout"/> (800 ms); on any failure or timeout the answer is the local one.
/// Remote results already in the catalog are left out; the others name the lookup URL that stores them (choosing one
/// queues its sync).
/// </summary>
public sealed class RemoteSearch(TmdbClient tmdb, TvdbClient tvdb, MetadataOptions options, Data.Db db, ILogger<RemoteSearch> log)
{
    public static bool? Flag(FieldErrors errors, string? remote)
    {
        if (remote is null) return null;
        if (bool.TryParse(remote, out var b)) return b;
        errors.Add("remote", "Must be true or false.");
        return null;
    }

    /// <summary>The local answer, or the local answer with provider results merged in.</summary>
    public async Task<IResult> AnswerAsync(HttpContext http, byte[] localBody, string etag, string cacheControl, string query, string? type, bool? remote, CancellationToken ct)
    {
        if (remote == false || !options.AnyProvider) return HttpCaching.CachedBytes(http, localBody, etag, cacheControl);
        var local = JsonSerializer.Deserialize(localBody, SearchJsonContext.Default.SearchResponse)!;
        if (remote is null && (local.Page != 1 || local.Total >= options.RemoteSearchBelow)) return HttpCaching.CachedBytes(http, localBody, etag, cacheControl);

        IReadOnlyList<RemoteItem> found = [];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RemoteSearchTimeout);
        try { found = await SearchAsync(query, type, timeout.Token); }
        catch (Exception e) when (e is ProviderException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            log.LogInformation("Remote search for '{Query}' left out: {Error}", query, e.Message);
        }
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(new RemoteSearchResponse(local.Query, local.Page, local.PageSize, local.Total, local.Results, found));
    }

    async Task<IReadOnlyList<RemoteItem>> SearchAsync(string query, string? type, CancellationToken ct)
    {
        IMetadataSource? source = tmdb.Enabled ? tmdb : tvdb.Enabled ? tvdb : null;
        if (source is null) return [];
        var hits = await source.SearchAsync(query, type, null, ct);
        var column = source.Name == "tmdb" ? "tmdb_id" : "tvdb_id";
        var stored = new HashSet<(string, int)>();
        if (hits.Count > 0)
        {
            await using var conn = await db.OpenAsync(ct);
            var bulk = new Data.Bulk(conn, null!, db.Dialect);
            foreach (var (kind, id) in await Dapper.SqlMapper.QueryAsync<(string, int)>(conn, new Dapper.CommandDefinition(
                         $"SELECT kind, {column} FROM titles WHERE sync_state IS NULL AND {bulk.InList(column, "ids")}",
                         new { ids = bulk.ListParam(hits.Select(h => h.ProviderId).Distinct().ToList()) }, cancellationToken: ct)))
                stored.Add((kind, id));
        }
        return hits.Where(h => !stored.Contains((h.Kind, h.ProviderId))).Take(20)
            .Select(h => new RemoteItem(h.Provider, h.ProviderId, h.Kind, h.Title, h.Year, h.Overview, h.Poster, false,
                $"/api/titles/lookup?{h.Provider}={h.ProviderId}&type={h.Kind}")).ToList();
    }
}

public sealed record RemoteItem(string Provider, int ProviderId, string Type, string Title, int? Year, string? Overview, string? Poster, bool Stored, string Lookup);

public sealed record RemoteSearchResponse(string Query, int Page, int PageSize, int Total, IReadOnlyList<SearchItem> Results, IReadOnlyList<RemoteItem> Remote);
