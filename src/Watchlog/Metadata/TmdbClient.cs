using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Watchlog.Catalog;

namespace Watchlog.Metadata;

/// <summary>
/// TMDB API v3 (FORMATS.md section E): a read-access token as a bearer, or an API key as <c>api_key</c>. A series is the
/// details call (with credits, ids, alternate titles, ratings and watch providers appended) plus one call per season.
/// </summary>
public sealed class TmdbClient(HttpClient http, MetadataOptions options) : IMetadataSource
{
    const string P = "tmdb";
    ProviderOptions O => options.Tmdb;
    public string Name => P;
    public bool Enabled => O.Enabled;

    /// <summary>The body and the parsed document; null on 404.</summary>
    async Task<(JsonDocument Doc, string Body)?> GetAsync(string path, CancellationToken ct)
    {
        var url = O.BaseUrl + path;
        if (O.ReadAccessToken is null) url += (path.Contains('?') ? "&" : "?") + "api_key=" + Uri.EscapeDataString(O.ApiKey!);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (O.ReadAccessToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try { response = await http.SendAsync(request, ct); }
        catch (Exception e) when (e is HttpRequestException or TimeoutException) { throw new ProviderException(P, $"{Path(path)}: {e.Message}", transient: true, e); }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
            {
                var message = TryMessage(body);
                var transient = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                throw new ProviderException(P, $"{Path(path)}: HTTP {(int)response.StatusCode}{(message is null ? "" : " " + message)}", transient);
            }
            try { return (JsonDocument.Parse(body), body); }
            catch (JsonException e) { throw new MalformedPayloadException(P, $"{Path(path)}: not JSON ({e.Message})", e); }
        }
    }

    static string Path(string path) => path.Split('?')[0];

    static string? TryMessage(string body)
    {
        try { using var d = JsonDocument.Parse(body); return d.RootElement.Str("status_message"); }
        catch (JsonException) { return null; }
    }

    public async Task<IReadOnlyList<RemoteTitle>> SearchAsync(string query, string? kind, int? year, CancellationToken ct)
    {
        var q = Uri.EscapeDataString(query);
        var path = kind switch
        {
            "movie" => $"/search/movie?query={q}&include_adult=false" + (year is { } y ? $"&year={y}" : ""),
            "series" => $"/search/tv?query={q}&include_adult=false" + (year is { } y2 ? $"&first_air_date_year={y2}" : ""),
            _ => $"/search/multi?query={q}&include_adult=false",
        };
        var got = await GetAsync(path, ct);
        if (got is null) return [];
        using var doc = got.Value.Doc;
        var results = new List<RemoteTitle>();
        foreach (var r in doc.RootElement.Arr("results"))
        {
            var media = r.Str("media_type") ?? (kind == "movie" ? "movie" : kind == "series" ? "tv" : null);
            if (media is not ("movie" or "tv") || r.Int("id") is not { } id) continue;
            var title = media == "movie" ? r.Str("title") : r.Str("name");
            if (title is null) continue;
            var date = media == "movie" ? r.Date("release_date") : r.Date("first_air_date");
            results.Add(new RemoteTitle(P, id, media == "movie" ? "movie" : "series", title, date?.Year, r.Str("overview"), r.Str("poster_path"), r.Num("popularity") ?? 0));
        }
        return results;
    }

    public async Task<(string Kind, int Id)?> FindAsync(string? kind, string? imdb, int? tmdb, int? tvdb, CancellationToken ct)
    {
        if (tmdb is { } known && kind is not null) return (kind, known);
        var (id, source) = imdb is not null ? (imdb, "imdb_id") : tvdb is { } t ? (t.ToString(CultureInfo.InvariantCulture), "tvdb_id") : (null, null);
        if (id is null) return null;
        var got = await GetAsync($"/find/{Uri.EscapeDataString(id)}?external_source={source}", ct);
        if (got is null) return null;
        using var doc = got.Value.Doc;
        var movie = doc.RootElement.Arr("movie_results").Select(r => r.Int("id")).FirstOrDefault(x => x is not null);
        var tv = doc.RootElement.Arr("tv_results").Select(r => r.Int("id")).FirstOrDefault(x => x is not null);
        if (kind != "series" && movie is { } m) return ("movie", m);
        if (kind != "movie" && tv is { } s) return ("series", s);
        return null;
    }

    public async Task<FetchedTitle?> GetTitleAsync(string kind, int id, CancellationToken ct) =>
        kind == "movie" ? await MovieAsync(id, ct) : await SeriesAsync(id, ct);

    async Task<FetchedTitle?> MovieAsync(int id, CancellationToken ct)
    {
        var got = await GetAsync($"/movie/{id}?append_to_response=credits,external_ids,alternative_titles,release_dates,watch/providers", ct);
        if (got is null) return null;
        using var doc = got.Value.Doc;
        var m = doc.RootElement;
        var where = $"movie {id}";
        var entry = new CatalogEntry
        {
            Kind = "movie",
            Title = m.RequireStr("title", P, where),
            OriginalTitle = m.Str("original_title"),
            Year = m.Date("release_date")?.Year,
            FirstAirDate = m.Date("release_date"),
            RuntimeMin = m.Int("runtime") is > 0 and var r ? r : null,
            Status = m.Str("status"),
            Overview = m.Str("overview"),
            Network = m.Arr("production_companies").Select(c => c.Str("name")).FirstOrDefault(n => n is not null),
            Popularity = m.Num("popularity") is >= 0 and var p ? p : null,
            AudienceRating = Rating(m),
            AudienceVotes = m.Int("vote_count"),
            Poster = m.Str("poster_path"),
            Backdrop = m.Str("backdrop_path"),
            Genres = m.Arr("genres").Select(g => g.Str("name")).OfType<string>().ToList(),
            Regions = m.Arr("production_countries").Select(c => c.Str("iso_3166_1")).OfType<string>().ToList(),
            Certification = Certification(m.Get("release_dates"), r => r.Arr("release_dates").Select(d => d.Str("certification")).FirstOrDefault(c => c is not null)),
            ExternalIds = new ExternalIds
            {
                Tmdb = id,
                Imdb = Imdb(m.Str("imdb_id") ?? m.Get("external_ids")?.Str("imdb_id")),
            },
            Aliases = Aliases(m.Get("alternative_titles"), "titles"),
            Platforms = Providers(m.Get("watch/providers")),
        };
        var credits = new List<FetchedCredit>();
        if (m.Get("credits") is { } c)
        {
            foreach (var cast in c.Arr("cast").OrderBy(x => x.Int("order") ?? int.MaxValue).Take(MaxCast))
                if (cast.Int("id") is { } pid && cast.Str("name") is { } name)
                    credits.Add(new FetchedCredit(P, pid, name, "actor", cast.Str("character"), null, cast.Str("profile_path")));
            foreach (var crew in c.Arr("crew"))
                if (crew.Int("id") is { } pid && crew.Str("name") is { } name && Crew(crew.Str("job"), crew.Str("department")) is { } role)
                    credits.Add(new FetchedCredit(P, pid, name, role, null, crew.Str("job"), crew.Str("profile_path")));
        }
        return new FetchedTitle { Provider = P, ProviderId = id, Entry = entry, Credits = credits, Raw = J.Combine([("tmdb", [got.Value.Body], false)]) };
    }

    async Task<FetchedTitle?> SeriesAsync(int id, CancellationToken ct)
    {
        var got = await GetAsync($"/tv/{id}?append_to_response=aggregate_credits,external_ids,alternative_titles,content_ratings,watch/providers", ct);
        if (got is null) return null;
        using var doc = got.Value.Doc;
        var s = doc.RootElement;
        var where = $"tv {id}";
        var entry = new CatalogEntry
        {
            Kind = "series",
            Title = s.RequireStr("name", P, where),
            OriginalTitle = s.Str("original_name"),
            Year = s.Date("first_air_date")?.Year,
            FirstAirDate = s.Date("first_air_date"),
            LastAirDate = s.Date("last_air_date"),
            RuntimeMin = s.Arr("episode_run_time").Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var n) ? n : 0).FirstOrDefault(n => n > 0) is > 0 and var rt ? rt : null,
            Status = s.Str("status"),
            Overview = s.Str("overview"),
            Network = s.Arr("networks").Select(n => n.Str("name")).FirstOrDefault(n => n is not null),
            Popularity = s.Num("popularity") is >= 0 and var p ? p : null,
            AudienceRating = Rating(s),
            AudienceVotes = s.Int("vote_count"),
            Poster = s.Str("poster_path"),
            Backdrop = s.Str("backdrop_path"),
            Genres = s.Arr("genres").Select(g => g.Str("name")).OfType<string>().ToList(),
            Regions = s.Arr("origin_country").Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : null).OfType<string>().ToList(),
            Certification = Certification(s.Get("content_ratings"), r => r.Str("rating")),
            ExternalIds = new ExternalIds
            {
                Tmdb = id,
                Imdb = Imdb(s.Get("external_ids")?.Str("imdb_id")),
                Tvdb = s.Get("external_ids")?.Int("tvdb_id") is > 0 and var tv ? tv : null,
            },
            Aliases = Aliases(s.Get("alternative_titles"), "results"),
            Platforms = Providers(s.Get("watch/providers")),
            Seasons = [],
        };

        var credits = new List<FetchedCredit>();
        foreach (var creator in s.Arr("created_by"))
            if (creator.Int("id") is { } pid && creator.Str("name") is { } name)
                credits.Add(new FetchedCredit(P, pid, name, "creator", null, null, creator.Str("profile_path")));
        if (s.Get("aggregate_credits") is { } c)
        {
            foreach (var cast in c.Arr("cast").OrderBy(x => x.Int("order") ?? int.MaxValue).Take(MaxCast))
                if (cast.Int("id") is { } pid && cast.Str("name") is { } name)
                    credits.Add(new FetchedCredit(P, pid, name, "actor",
                        cast.Arr("roles").Select(r => r.Str("character")).FirstOrDefault(x => x is not null) ?? cast.Str("character"), null, cast.Str("profile_path")));
            foreach (var crew in c.Arr("crew"))
            {
                if (crew.Int("id") is not { } pid || crew.Str("name") is not { } name) continue;
                var job = crew.Arr("jobs").Select(j => j.Str("job")).FirstOrDefault(x => x is not null) ?? crew.Str("job");
                if (Crew(job, crew.Str("department")) is { } role)
                    credits.Add(new FetchedCredit(P, pid, name, role, null, job, crew.Str("profile_path")));
            }
        }

        // Every season, each its own call; a season that fails fails the whole title (never half a series).
        var numbers = s.Arr("seasons").Select(x => x.Int("season_number")).OfType<int>().Distinct().OrderBy(n => n).ToList();
        var seasonCalls = numbers.Select(n => GetAsync($"/tv/{id}/season/{n}", ct)).ToList();
        var bodies = new List<string>();
        var result = new FetchedTitle { Provider = P, ProviderId = id, Entry = entry, Credits = credits, Raw = "" };
        for (var k = 0; k < numbers.Count; k++)
        {
            var season = await seasonCalls[k] ?? throw new MalformedPayloadException(P, $"tv {id} lists season {numbers[k]}, which answers 404");
            using var sd = season.Doc;
            bodies.Add(season.Body);
            var e = sd.RootElement;
            var number = e.Int("season_number") ?? numbers[k];
            var entrySeason = new SeasonEntry { Number = number, Name = e.Str("name"), Overview = e.Str("overview"), AirDate = e.Date("air_date"), Episodes = [] };
            result.Seasons[number] = new SeasonIds(e.Int("id"), null, e.Str("poster_path"));
            var seen = new HashSet<int>();
            foreach (var ep in e.Arr("episodes"))
            {
                var n = ep.RequireInt("episode_number", P, $"tv {id} season {number}");
                if (!seen.Add(n)) throw new MalformedPayloadException(P, $"tv {id} season {number} lists episode {n} twice");
                entrySeason.Episodes.Add(new EpisodeEntry
                {
                    Number = n, Title = ep.Str("name"), Overview = ep.Str("overview"), AirDate = ep.Date("air_date"),
                    RuntimeMin = ep.Int("runtime") is > 0 and <= EntryRules.MaxRuntimeMin and var r ? r : null,
                });
                result.Episodes[(number, n)] = new EpisodeIds(ep.Int("id"), null, null, null, ep.Str("still_path"));
            }
            entry.Seasons.Add(entrySeason);
        }
        result.Raw = J.Combine([("tmdb", [got.Value.Body], false), ("tmdb_seasons", bodies, true)]);
        return result;
    }

    public async Task<FetchedPerson?> GetPersonAsync(int id, CancellationToken ct)
    {
        var got = await GetAsync($"/person/{id}?append_to_response=combined_credits,external_ids", ct);
        if (got is null) return null;
        using var doc = got.Value.Doc;
        var p = doc.RootElement;
        return new FetchedPerson(id, p.RequireStr("name", P, $"person {id}"), p.Str("imdb_id") is { } i && i.StartsWith("nm", StringComparison.Ordinal) ? i : null,
            p.Date("birthday"), p.Date("deathday"), p.Str("place_of_birth"), p.Str("biography"), p.Str("profile_path"), p.Num("popularity") ?? 0, got.Value.Body);
    }

    const int MaxCast = 50;

    static double? Rating(JsonElement e) => e.Num("vote_average") is { } v && e.Int("vote_count") is > 0 ? Math.Clamp(Math.Round(v * 10, 1), 0, 100) : null;

    static string? Imdb(string? id) => EntryRules.IsImdbTitleId(id) ? id : null;

    /// <summary>The US certification, else the first one given.</summary>
    static string? Certification(JsonElement? block, Func<JsonElement, string?> read)
    {
        if (block is not { } b) return null;
        var rows = b.Arr("results").ToList();
        return rows.Where(r => r.Str("iso_3166_1") == "US").Select(read).FirstOrDefault(c => c is not null)
               ?? rows.Select(read).FirstOrDefault(c => c is not null);
    }

    static List<AliasEntry> Aliases(JsonElement? block, string list) =>
        block is { } b
            ? b.Arr(list).Where(a => a.Str("title") is not null)
                .Select(a => new AliasEntry { Title = a.Str("title"), Region = a.Str("iso_3166_1") is { Length: 2 } r ? r : null, Kind = a.Str("type") ?? "alternate" })
                .ToList()
            : [];

    /// <summary>Per-region watch providers → availability rows (flatrate is a subscription). No dates: a snapshot.</summary>
    static List<PlatformEntry> Providers(JsonElement? block)
    {
        var list = new List<PlatformEntry>();
        if (block?.Get("results") is not { ValueKind: JsonValueKind.Object } results) return list;
        foreach (var region in results.EnumerateObject())
        {
            if (region.Name.Length != 2) continue;
            foreach (var (key, monetization) in new[] { ("flatrate", "subscription"), ("free", "free"), ("ads", "ads"), ("rent", "rent"), ("buy", "buy") })
                foreach (var item in region.Value.Arr(key))
                    if (item.Str("provider_name") is { } name)
                        list.Add(new PlatformEntry { Name = name, Region = region.Name.ToUpperInvariant(), Monetization = monetization });
        }
        return list;
    }

    /// <summary>The crew worth listing, as catalog roles; the rest (grips, caterers) is left out.</summary>
    static string? Crew(string? job, string? department) => job switch
    {
        "Director" => "director",
        "Screenplay" or "Writer" or "Novel" or "Story" or "Teleplay" => "writer",
        "Producer" or "Executive Producer" => "producer",
        "Creator" => "creator",
        "Original Music Composer" or "Director of Photography" or "Editor" or "Casting" => "crew",
        _ => department == "Writing" && job is not null ? "writer" : null,
    };
}
