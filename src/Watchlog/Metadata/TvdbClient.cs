using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Watchlog.Catalog;

namespace Watchlog.Metadata;

/// <summary>
/// TheTVDB API v4 (FORMATS.md section F): <c>POST /login</c> with the API key (and the subscriber PIN when set) gives a
/// bearer token valid for a month; it is renewed a day before it expires and at once when a call answers 401.
/// Episodes come from <c>/series/{id}/episodes/default</c>, every page.
/// </summary>
public sealed class TvdbClient(HttpClient http, MetadataOptions options, TimeProvider clock) : IMetadataSource
{
    const string P = "tvdb";
    ProviderOptions O => options.Tvdb;
    readonly SemaphoreSlim _login = new(1, 1);
    string? _token;
    DateTimeOffset _renewAt;

    public string Name => P;
    public bool Enabled => O.ApiKey is not null;

    async Task<string> TokenAsync(string? rejected, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_token is { } t && t != rejected && now < _renewAt) return t;
        await _login.WaitAsync(ct);
        try
        {
            if (_token is { } t2 && t2 != rejected && clock.GetUtcNow() < _renewAt) return t2;   // another caller renewed it
            var body = O.Pin is { } pin
                ? JsonSerializer.Serialize(new TvdbLogin(O.ApiKey!, pin), MetadataJsonContext.Default.TvdbLogin)
                : JsonSerializer.Serialize(new TvdbLoginNoPin(O.ApiKey!), MetadataJsonContext.Default.TvdbLoginNoPin);
            using var request = new HttpRequestMessage(HttpMethod.Post, O.BaseUrl + "/login") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            HttpResponseMessage response;
            try { response = await http.SendAsync(request, ct); }
            catch (Exception e) when (e is HttpRequestException or TimeoutException) { throw new ProviderException(P, $"/login: {e.Message}", transient: true, e); }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.Unauthorized) throw new ProviderException(P, "/login: the API key (or PIN) was refused", transient: false);
                if (!response.IsSuccessStatusCode)
                    throw new ProviderException(P, $"/login: HTTP {(int)response.StatusCode}", transient: (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);
                string token;
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    token = doc.RootElement.Get("data")?.Str("token") ?? throw new MalformedPayloadException(P, "/login: data.token is missing");
                }
                catch (JsonException e) { throw new MalformedPayloadException(P, $"/login: not JSON ({e.Message})", e); }
                _token = token;
                _renewAt = (Expiry(token) ?? clock.GetUtcNow().AddDays(30)).AddDays(-1);
                return token;
            }
        }
        finally { _login.Release(); }
    }

    /// <summary>The <c>exp</c> of a JWT, when the token is one.</summary>
    static DateTimeOffset? Expiry(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(payload));
            return doc.RootElement.Num("exp") is { } exp ? DateTimeOffset.FromUnixTimeSeconds((long)exp) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException) { return null; }
    }

    async Task<(JsonDocument Doc, string Body)?> GetAsync(string path, CancellationToken ct)
    {
        string? rejected = null;
        for (var round = 0; ; round++)
        {
            var token = await TokenAsync(rejected, ct);
            using var request = new HttpRequestMessage(HttpMethod.Get, O.BaseUrl + path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try { response = await http.SendAsync(request, ct); }
            catch (Exception e) when (e is HttpRequestException or TimeoutException) { throw new ProviderException(P, $"{Path(path)}: {e.Message}", transient: true, e); }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && round == 0) { rejected = token; continue; }   // expired: log in again, once
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
                if (!response.IsSuccessStatusCode)
                    throw new ProviderException(P, $"{Path(path)}: HTTP {(int)response.StatusCode}",
                        transient: (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);
                try { return (JsonDocument.Parse(body), body); }
                catch (JsonException e) { throw new MalformedPayloadException(P, $"{Path(path)}: not JSON ({e.Message})", e); }
            }
        }
    }

    static string Path(string path) => path.Split('?')[0];

    static JsonElement Data(JsonDocument doc, string where) =>
        doc.RootElement.Get("data") ?? throw new MalformedPayloadException(P, $"{where}: 'data' is missing");

    public async Task<IReadOnlyList<RemoteTitle>> SearchAsync(string query, string? kind, int? year, CancellationToken ct)
    {
        var path = $"/search?query={Uri.EscapeDataString(query)}&limit=20" + (kind is null ? "" : $"&type={(kind == "movie" ? "movie" : "series")}") +
                   (year is { } y ? $"&year={y}" : "");
        var got = await GetAsync(path, ct);
        if (got is null) return [];
        using var doc = got.Value.Doc;
        var list = new List<RemoteTitle>();
        foreach (var r in doc.RootElement.Arr("data"))
        {
            var type = r.Str("type");
            if (type is not ("series" or "movie")) continue;
            if ((r.Int("tvdb_id") ?? r.Int("id")) is not { } id || (r.Str("name_translated") is { } _ ? r.Str("name") : r.Str("name")) is not { } name) continue;
            list.Add(new RemoteTitle(P, id, type, name, r.Int("year"), r.Str("overview"), r.Str("image_url") ?? r.Str("thumbnail"), 0));
        }
        return list;
    }

    public async Task<(string Kind, int Id)?> FindAsync(string? kind, string? imdb, int? tmdb, int? tvdb, CancellationToken ct)
    {
        if (tvdb is { } known && kind is not null) return (kind, known);
        if (imdb is null) return null;
        var got = await GetAsync($"/search/remoteid/{Uri.EscapeDataString(imdb)}", ct);
        if (got is null) return null;
        using var doc = got.Value.Doc;
        foreach (var hit in doc.RootElement.Arr("data"))
        {
            if (kind != "movie" && hit.Get("series")?.Int("id") is { } s) return ("series", s);
            if (kind != "series" && hit.Get("movie")?.Int("id") is { } m) return ("movie", m);
        }
        return null;
    }

    public Task<FetchedPerson?> GetPersonAsync(int id, CancellationToken ct) => Task.FromResult<FetchedPerson?>(null);

    public async Task<FetchedTitle?> GetTitleAsync(string kind, int id, CancellationToken ct)
    {
        var path = kind == "movie" ? $"/movies/{id}/extended" : $"/series/{id}/extended";
        var got = await GetAsync(path, ct);
        if (got is null) return null;
        using var doc = got.Value.Doc;
        var d = Data(doc, Path(path));
        var where = $"{(kind == "movie" ? "movie" : "series")} {id}";
        var remote = d.Arr("remoteIds").Concat(d.Arr("remote_ids")).ToList();
        var entry = new CatalogEntry
        {
            Kind = kind,
            Title = d.RequireStr("name", P, where),
            Year = d.Int("year") ?? d.Date("firstAired")?.Year ?? d.Date("first_release")?.Year,
            FirstAirDate = d.Date("firstAired"),
            LastAirDate = d.Date("lastAired"),
            RuntimeMin = (d.Int("averageRuntime") ?? d.Int("runtime")) is > 0 and <= EntryRules.MaxRuntimeMin and var rt ? rt : null,
            Status = d.Get("status")?.Str("name") ?? d.Str("status"),
            Overview = d.Str("overview"),
            Network = d.Get("originalNetwork")?.Str("name") ?? d.Get("latestNetwork")?.Str("name"),
            Poster = d.Str("image"),
            Genres = d.Arr("genres").Select(g => g.Str("name")).OfType<string>().ToList(),
            Regions = d.Str("originalCountry") is { Length: 2 } c ? [c.ToUpperInvariant()] : null,
            Aliases = d.Arr("aliases").Where(a => a.Str("name") is not null)
                .Select(a => new AliasEntry { Title = a.Str("name"), Language = Lang(a.Str("language")), Kind = "alias" }).ToList(),
            ExternalIds = new ExternalIds
            {
                Tvdb = id,
                Imdb = remote.Where(r => r.Str("sourceName") == "IMDB" || r.Int("type") == 2).Select(r => r.Str("id")).FirstOrDefault(EntryRules.IsImdbTitleId),
                Tmdb = remote.Where(r => r.Str("sourceName") == "TheMovieDB.com" || r.Int("type") == 12).Select(r => r.Int("id")).FirstOrDefault(x => x > 0),
            },
        };
        var credits = d.Arr("characters")
            .Where(ch => ch.Int("peopleId") is > 0 && ch.Str("personName") is not null)
            .OrderBy(ch => ch.Int("sort") ?? int.MaxValue)
            .Select(ch => new FetchedCredit(P, ch.Int("peopleId")!.Value, ch.Str("personName")!, Role(ch.Str("peopleType")),
                ch.Str("peopleType") == "Actor" ? ch.Str("name") : null, Role(ch.Str("peopleType")) == "crew" ? ch.Str("peopleType") : null, ch.Str("personImgURL")))
            .Take(80).ToList();
        var result = new FetchedTitle { Provider = P, ProviderId = id, Entry = entry, Credits = credits, Raw = "" };
        var pages = new List<string>();
        if (kind == "series")
        {
            foreach (var s in d.Arr("seasons"))
                if (s.Get("type")?.Str("type") is null or "official" && s.Int("number") is { } n)
                    result.Seasons[n] = new SeasonIds(null, s.Int("id"), s.Str("image"));
            var episodes = await EpisodesAsync(id, pages, ct);
            entry.Seasons = episodes.GroupBy(e => e.Season).OrderBy(g => g.Key)
                .Select(g => new SeasonEntry
                {
                    Number = g.Key,
                    AirDate = g.Select(e => e.Aired).Where(a => a is not null).Min(),
                    Episodes = g.OrderBy(e => e.Number).Select(e => new EpisodeEntry
                    {
                        Number = e.Number, AbsoluteNumber = e.Absolute, Title = e.Name, Overview = e.Overview, AirDate = e.Aired, RuntimeMin = e.Runtime,
                    }).ToList(),
                }).ToList();
            foreach (var e in episodes)
                result.Episodes[(e.Season, e.Number)] = new EpisodeIds(null, e.Id, e.Season, e.Number, e.Image);
        }
        result.Raw = J.Combine([("tvdb", [got.Value.Body], false), ("tvdb_episode_pages", pages, true)]);
        return result;
    }

    /// <summary>One episode in TheTVDB's default (aired) order.</summary>
    public sealed record TvdbEpisode(int Id, int Season, int Number, int? Absolute, string? Name, string? Overview, DateOnly? Aired, int? Runtime, string? Image);

    async Task<List<TvdbEpisode>> EpisodesAsync(int seriesId, List<string> pages, CancellationToken ct)
    {
        var list = new List<TvdbEpisode>();
        var seen = new HashSet<(int, int)>();
        for (var page = 0; page < 1000; page++)
        {
            var path = $"/series/{seriesId}/episodes/default?page={page}";
            var got = (await GetAsync(path, ct)) ?? throw new MalformedPayloadException(P, $"series {seriesId}: episodes page {page} answers 404");
            using var doc = got.Doc;
            pages.Add(got.Body);
            var data = Data(doc, $"series {seriesId} episodes page {page}");
            foreach (var e in data.Arr("episodes"))
            {
                var where = $"series {seriesId} episodes page {page}";
                var id = e.RequireInt("id", P, where);
                var season = e.RequireInt("seasonNumber", P, where);
                var number = e.RequireInt("number", P, where);
                if (!seen.Add((season, number))) continue;   // pages can overlap when the list changes while paging
                list.Add(new TvdbEpisode(id, season, number, e.Int("absoluteNumber") is > 0 and var a ? a : null, e.Str("name"), e.Str("overview"),
                    e.Date("aired"), e.Int("runtime") is > 0 and <= EntryRules.MaxRuntimeMin and var r ? r : null, e.Str("image")));
            }
            var next = doc.RootElement.Get("links")?.Get("next");
            if (next is null || next.Value.ValueKind == JsonValueKind.Null || (next.Value.ValueKind == JsonValueKind.String && string.IsNullOrEmpty(next.Value.GetString())))
                break;
        }
        return list;
    }

    static string Role(string? peopleType) => peopleType switch
    {
        "Actor" or "Guest Star" => "actor",
        "Director" => "director",
        "Writer" => "writer",
        "Producer" or "Executive Producer" => "producer",
        "Creator" => "creator",
        _ => "crew",
    };

    /// <summary>TheTVDB speaks ISO 639-2 (eng); the catalog keeps what it is given, lower-case.</summary>
    static string? Lang(string? code) => code?.ToLowerInvariant();
}

public sealed record TvdbLogin(string Apikey, string Pin);
public sealed record TvdbLoginNoPin(string Apikey);
