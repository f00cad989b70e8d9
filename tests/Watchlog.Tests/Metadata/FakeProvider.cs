using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Watchlog.Tests.Metadata;

/// <summary>
/// A local stand-in for TMDB v3 and TheTVDB v4 (FORMATS.md E and F) on 127.0.0.1, for the contract tests and the
/// sync benchmark. Every id up to <see cref="MaxId"/> exists: series <c>n</c> ("Series n") has <see cref="Seasons"/>
/// seasons of <see cref="EpisodesPerSeason"/> episodes and <see cref="Cast"/> + <see cref="Crew"/> credits; TheTVDB
/// knows it as 100000 + n and numbers its last season's second half as a season of its own (pairs by air date).
/// IMDb ids: tt1nnnnnn for series, tt2nnnnnn for movies. Faults can be queued per path prefix.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    public const string TmdbKey = "tmdb-key", TmdbToken = "tmdb-read-token", TvdbKey = "tvdb-key";
    public const int TvdbOffset = 100_000;
    readonly WebApplication _app;
    readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new();
    readonly ConcurrentDictionary<string, int> _hits = new();
    readonly ConcurrentDictionary<string, bool> _tokens = new();
    int _logins;

    public int MaxId { get; set; } = 1_000_000;
    public int Seasons { get; set; } = 3;
    public int EpisodesPerSeason { get; set; } = 4;
    public int Cast { get; set; } = 5;
    public int Crew { get; set; } = 2;
    public int TvdbPageSize { get; set; } = 5;
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;
    /// <summary>Ids whose details lack their name (a payload missing a required field).</summary>
    public ConcurrentDictionary<int, bool> Nameless { get; } = new();
    /// <summary>When set, every TMDB call answers 503 (the provider is down).</summary>
    public bool Down { get; set; }
    public string? TvdbPin { get; set; }

    public string BaseUrl { get; }
    public string TmdbUrl => BaseUrl + "/tmdb/3";
    public string TvdbUrl => BaseUrl + "/tvdb/v4";
    public int TvdbLogins => _logins;

    /// <summary>A queued answer for the next request under a path prefix: a status (with Retry-After), a delay, or a body.</summary>
    public sealed record Fault(int Status = 200, string? RetryAfter = null, TimeSpan? Delay = null, string? Body = null);

    FakeProvider(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<FakeProvider> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        FakeProvider? self = null;
        app.Run(http => self!.HandleAsync(http));
        await app.StartAsync();
        var url = app.Urls.First().TrimEnd('/');
        self = new FakeProvider(app, url);
        return self;
    }

    public void Fail(string pathPrefix, params Fault[] faults)
    {
        var q = _faults.GetOrAdd(pathPrefix, _ => new ConcurrentQueue<Fault>());
        foreach (var f in faults) q.Enqueue(f);
    }

    /// <summary>Requests served under a path prefix.</summary>
    public int Hits(string pathPrefix) => _hits.Where(h => h.Key.StartsWith(pathPrefix, StringComparison.Ordinal)).Sum(h => h.Value);

    /// <summary>Requests served for exactly this path.</summary>
    public int Exact(string path) => _hits.GetValueOrDefault(path);

    /// <summary>Every TheTVDB token issued so far stops working (as after a month).</summary>
    public void ExpireTvdbTokens() => _tokens.Clear();

    public static string SeriesImdb(int id) => $"tt1{id:D6}";
    public static string MovieImdb(int id) => $"tt2{id:D6}";
    public static DateOnly AirDate(int season, int episode) => new DateOnly(2000, 1, 2).AddDays(season * 200 + episode * 7);

    async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
        foreach (var (prefix, q) in _faults)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal) || !q.TryDequeue(out var f)) continue;
            if (f.Delay is { } d) await Task.Delay(d, http.RequestAborted).ContinueWith(_ => { });
            if (f.RetryAfter is not null) http.Response.Headers.RetryAfter = f.RetryAfter;
            if (f.Status != 200 || f.Body is not null)
            {
                http.Response.StatusCode = f.Status;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(f.Body ?? """{"success":false,"status_code":25,"status_message":"Fault injected."}""");
                return;
            }
            break;   // a pure delay: then answer normally
        }
        JsonNode? body;
        try
        {
            body = path.StartsWith("/tmdb/3/", StringComparison.Ordinal) ? Tmdb(http, path["/tmdb/3".Length..])
                : path.StartsWith("/tvdb/v4/", StringComparison.Ordinal) ? await TvdbAsync(http, path["/tvdb/v4".Length..])
                : null;
        }
        catch (Unauthorized)
        {
            http.Response.StatusCode = 401;
            await http.Response.WriteAsync("""{"status":"failure","message":"Unauthorized","data":null}""");
            return;
        }
        catch (Unavailable)
        {
            http.Response.StatusCode = 503;
            await http.Response.WriteAsync("""{"success":false,"status_code":9,"status_message":"Service offline."}""");
            return;
        }
        if (body is null)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("""{"success":false,"status_code":34,"status_message":"The resource you requested could not be found."}""");
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString());
    }

    sealed class Unauthorized : Exception;
    sealed class Unavailable : Exception;

    bool Exists(int id) => id >= 1 && id <= MaxId;

    // ------------------------------------------------------------------ TMDB

    JsonNode? Tmdb(HttpContext http, string path)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        if (auth != $"Bearer {TmdbToken}" && http.Request.Query["api_key"] != TmdbKey) throw new Unauthorized();
        if (Down) throw new Unavailable();
        var parts = path.Trim('/').Split('/');
        switch (parts)
        {
            case ["tv", var id, "season", var sn] when Int(id!) is { } s && Exists(s) && Int(sn!) is { } season && season >= 1 && season <= Seasons:
                return TmdbSeason(s, season);
            case ["tv", var id] when Int(id) is { } s && Exists(s):
                return TmdbSeries(s);
            case ["movie", var id] when Int(id) is { } m && Exists(m):
                return TmdbMovie(m);
            case ["person", var id] when Int(id) is { } p && p > 0:
                return new JsonObject
                {
                    ["id"] = p, ["name"] = $"Person {p}", ["imdb_id"] = $"nm{p:D7}", ["birthday"] = "1970-05-06", ["deathday"] = null,
                    ["place_of_birth"] = "Albuquerque, New Mexico, USA", ["biography"] = $"Person {p} acts.", ["profile_path"] = $"/p{p}.jpg", ["popularity"] = 3.5,
                    ["combined_credits"] = new JsonObject { ["cast"] = new JsonArray(new JsonObject { ["id"] = 1, ["media_type"] = "tv", ["name"] = "Series 1" }) },
                };
            case ["find", var ext]:
                var source = http.Request.Query["external_source"].ToString();
                var result = new JsonObject { ["movie_results"] = new JsonArray(), ["tv_results"] = new JsonArray(), ["person_results"] = new JsonArray() };
                if (source == "imdb_id" && ext.Length == 9 && ext.StartsWith("tt", StringComparison.Ordinal) && Int(ext[3..]) is { } n && Exists(n))
                    ((JsonArray)result[ext[2] == '1' ? "tv_results" : "movie_results"]!).Add(new JsonObject { ["id"] = n });
                if (source == "tvdb_id" && Int(ext) is { } tv && Exists(tv - TvdbOffset))
                    ((JsonArray)result["tv_results"]!).Add(new JsonObject { ["id"] = tv - TvdbOffset });
                return result;
            case ["search", var kind]:
                var q = http.Request.Query["query"].ToString();
                var hits = new JsonArray();
                // "Series 12" finds series 12 and movie 12; anything else finds nothing.
                if (q.Split(' ') is [var word, var num] && Int(num) is { } k && Exists(k))
                {
                    if (kind != "movie" && word.Equals("series", StringComparison.OrdinalIgnoreCase))
                        hits.Add(new JsonObject { ["id"] = k, ["media_type"] = "tv", ["name"] = $"Series {k}", ["first_air_date"] = "2008-01-20", ["popularity"] = 10.0, ["poster_path"] = $"/s{k}.jpg" });
                    if (kind != "tv" && word.Equals("movie", StringComparison.OrdinalIgnoreCase))
                        hits.Add(new JsonObject { ["id"] = k, ["media_type"] = "movie", ["title"] = $"Movie {k}", ["release_date"] = "1999-10-15", ["popularity"] = 9.0 });
                }
                return new JsonObject { ["page"] = 1, ["results"] = hits, ["total_pages"] = 1, ["total_results"] = hits.Count };
            default:
                return null;
        }
    }

    JsonObject TmdbSeries(int id)
    {
        var seasons = new JsonArray();
        for (var s = 1; s <= Seasons; s++) seasons.Add(new JsonObject { ["season_number"] = s, ["episode_count"] = EpisodesPerSeason, ["id"] = id * 100 + s, ["name"] = $"Season {s}" });
        var cast = new JsonArray();
        for (var c = 0; c < Cast; c++)
            cast.Add(new JsonObject
            {
                ["id"] = 5000 + c, ["name"] = $"Actor {c}", ["order"] = c, ["profile_path"] = $"/a{c}.jpg",
                ["roles"] = new JsonArray(new JsonObject { ["character"] = $"Character {c}", ["episode_count"] = 10 }),
            });
        var crew = new JsonArray();
        for (var c = 0; c < Crew; c++)
            crew.Add(new JsonObject { ["id"] = 7000 + c, ["name"] = $"Crew {c}", ["department"] = c == 0 ? "Directing" : "Writing", ["jobs"] = new JsonArray(new JsonObject { ["job"] = c == 0 ? "Director" : "Writer" }) });
        var o = new JsonObject
        {
            ["id"] = id, ["name"] = $"Series {id}", ["original_name"] = $"Series {id}", ["first_air_date"] = AirDate(1, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["last_air_date"] = AirDate(Seasons, EpisodesPerSeason).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["number_of_seasons"] = Seasons, ["status"] = "Ended", ["type"] = "Scripted", ["overview"] = $"The story of series {id}.",
            ["episode_run_time"] = new JsonArray(47), ["networks"] = new JsonArray(new JsonObject { ["id"] = 174, ["name"] = "AMC" }),
            ["genres"] = new JsonArray(new JsonObject { ["id"] = 18, ["name"] = "Drama" }, new JsonObject { ["id"] = 80, ["name"] = "Crime" }),
            ["origin_country"] = new JsonArray("US"), ["popularity"] = 100.0 + id % 50, ["vote_average"] = 8.9, ["vote_count"] = 12000,
            ["poster_path"] = $"/poster{id}.jpg", ["backdrop_path"] = $"/backdrop{id}.jpg", ["seasons"] = seasons,
            ["created_by"] = new JsonArray(new JsonObject { ["id"] = 6000, ["name"] = "Creator Person" }),
            ["aggregate_credits"] = new JsonObject { ["cast"] = cast, ["crew"] = crew },
            ["external_ids"] = new JsonObject { ["imdb_id"] = SeriesImdb(id), ["tvdb_id"] = TvdbOffset + id },
            ["alternative_titles"] = new JsonObject { ["results"] = new JsonArray(new JsonObject { ["iso_3166_1"] = "DE", ["title"] = $"Serie {id}", ["type"] = "" }) },
            ["content_ratings"] = new JsonObject { ["results"] = new JsonArray(new JsonObject { ["iso_3166_1"] = "US", ["rating"] = "TV-MA" }) },
            ["watch/providers"] = new JsonObject
            {
                ["id"] = id,
                ["results"] = new JsonObject
                {
                    ["US"] = new JsonObject
                    {
                        ["link"] = "https://www.themoviedb.org/tv/watch?locale=US",
                        ["flatrate"] = new JsonArray(new JsonObject { ["provider_id"] = 8, ["provider_name"] = "Netflix", ["display_priority"] = 1 }),
                        ["buy"] = new JsonArray(new JsonObject { ["provider_id"] = 2, ["provider_name"] = "Apple TV", ["display_priority"] = 4 }),
                    },
                    ["DE"] = new JsonObject { ["flatrate"] = new JsonArray(new JsonObject { ["provider_id"] = 9999, ["provider_name"] = "Fakeflix Europe" }) },
                },
            },
        };
        if (Nameless.ContainsKey(id)) o.Remove("name");
        return o;
    }

    JsonObject TmdbSeason(int id, int season)
    {
        var episodes = new JsonArray();
        for (var e = 1; e <= EpisodesPerSeason; e++)
            episodes.Add(new JsonObject
            {
                ["id"] = id * 10_000 + season * 100 + e, ["episode_number"] = e, ["season_number"] = season, ["name"] = $"Episode {season}x{e}",
                ["overview"] = $"Things happen in {season}x{e}.", ["air_date"] = AirDate(season, e).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["runtime"] = 47, ["still_path"] = $"/still{season}x{e}.jpg", ["vote_average"] = 8.1,
            });
        return new JsonObject { ["_id"] = "abc", ["id"] = id * 100 + season, ["season_number"] = season, ["name"] = $"Season {season}", ["episodes"] = episodes };
    }

    JsonObject TmdbMovie(int id)
    {
        var cast = new JsonArray();
        for (var c = 0; c < Cast; c++) cast.Add(new JsonObject { ["id"] = 5000 + c, ["name"] = $"Actor {c}", ["character"] = $"Role {c}", ["order"] = c });
        var o = new JsonObject
        {
            ["id"] = id, ["imdb_id"] = MovieImdb(id), ["title"] = $"Movie {id}", ["original_title"] = $"Movie {id}", ["release_date"] = "1999-10-15",
            ["runtime"] = 139, ["status"] = "Released", ["overview"] = $"Movie {id} happens.", ["popularity"] = 61.4, ["vote_average"] = 8.4, ["vote_count"] = 30000,
            ["genres"] = new JsonArray(new JsonObject { ["id"] = 18, ["name"] = "Drama" }), ["production_countries"] = new JsonArray(new JsonObject { ["iso_3166_1"] = "US" }),
            ["poster_path"] = $"/m{id}.jpg",
            ["credits"] = new JsonObject { ["cast"] = cast, ["crew"] = new JsonArray(new JsonObject { ["id"] = 7100, ["name"] = "Director Person", ["job"] = "Director", ["department"] = "Directing" }) },
            ["external_ids"] = new JsonObject { ["imdb_id"] = MovieImdb(id) },
            ["alternative_titles"] = new JsonObject { ["titles"] = new JsonArray(new JsonObject { ["iso_3166_1"] = "FR", ["title"] = $"Le film {id}", ["type"] = "" }) },
            ["release_dates"] = new JsonObject { ["results"] = new JsonArray(new JsonObject { ["iso_3166_1"] = "US", ["release_dates"] = new JsonArray(new JsonObject { ["certification"] = "R", ["type"] = 3 }) }) },
            ["watch/providers"] = new JsonObject { ["results"] = new JsonObject { ["GB"] = new JsonObject { ["rent"] = new JsonArray(new JsonObject { ["provider_name"] = "Apple TV" }) } } },
        };
        if (Nameless.ContainsKey(id)) o.Remove("title");
        return o;
    }

    // ------------------------------------------------------------------ TheTVDB

    async Task<JsonNode?> TvdbAsync(HttpContext http, string path)
    {
        if (path == "/login" && http.Request.Method == "POST")
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body);
            var key = doc.RootElement.TryGetProperty("apikey", out var k) ? k.GetString() : null;
            var pin = doc.RootElement.TryGetProperty("pin", out var p) ? p.GetString() : null;
            if (key != TvdbKey || pin != TvdbPin) throw new Unauthorized();
            var token = $"tvdb-token-{Interlocked.Increment(ref _logins)}";
            _tokens[token] = true;
            return new JsonObject { ["status"] = "success", ["data"] = new JsonObject { ["token"] = token } };
        }
        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(auth[7..])) throw new Unauthorized();
        var parts = path.Trim('/').Split('/');
        JsonNode? data = parts switch
        {
            ["series", var id, "extended"] when Int(id) is { } s && Exists(s - TvdbOffset) => TvdbSeries(s),
            ["series", var id, "episodes", "default"] when Int(id) is { } s && Exists(s - TvdbOffset) => null,
            ["search", "remoteid", var imdb] when imdb.Length == 9 && Int(imdb[3..]) is { } n && Exists(n) =>
                new JsonArray(imdb[2] == '1' ? new JsonObject { ["series"] = new JsonObject { ["id"] = TvdbOffset + n } } : new JsonObject { ["movie"] = new JsonObject { ["id"] = TvdbOffset + n } }),
            _ => null,
        };
        if (parts is ["series", var sid, "episodes", "default"] && Int(sid) is { } series && Exists(series - TvdbOffset))
            return TvdbEpisodes(series, Int(http.Request.Query["page"].ToString()) ?? 0);
        return data is null ? null : new JsonObject { ["status"] = "success", ["data"] = data };
    }

    JsonObject TvdbSeries(int tvdbId)
    {
        var id = tvdbId - TvdbOffset;
        return new JsonObject
        {
            ["id"] = tvdbId, ["name"] = $"Series {id}", ["slug"] = $"series-{id}", ["image"] = $"https://artworks.thetvdb.com/s{id}.jpg",
            ["firstAired"] = AirDate(1, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["year"] = "2000", ["averageRuntime"] = 47,
            ["status"] = new JsonObject { ["id"] = 2, ["name"] = "Ended" }, ["originalCountry"] = "usa",
            ["remoteIds"] = new JsonArray(new JsonObject { ["id"] = SeriesImdb(id), ["type"] = 2, ["sourceName"] = "IMDB" }, new JsonObject { ["id"] = id.ToString(CultureInfo.InvariantCulture), ["type"] = 12, ["sourceName"] = "TheMovieDB.com" }),
            ["aliases"] = new JsonArray(new JsonObject { ["language"] = "spa", ["name"] = $"La serie {id}" }),
            ["genres"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "Drama" }),
            ["seasons"] = new JsonArray(Enumerable.Range(1, Seasons + 1).Select(s => (JsonNode)new JsonObject { ["id"] = tvdbId * 10 + s, ["number"] = s, ["type"] = new JsonObject { ["id"] = 1, ["type"] = "official" } }).ToArray()),
            ["characters"] = new JsonArray(new JsonObject { ["name"] = "Character 0", ["peopleId"] = 900, ["personName"] = "Actor 0", ["peopleType"] = "Actor", ["sort"] = 1 }),
        };
    }

    /// <summary>TheTVDB's numbering: the last season's second half is a season of its own.</summary>
    (int Season, int Number) TvdbNumber(int season, int episode)
    {
        var half = EpisodesPerSeason / 2;
        return season == Seasons && half > 0 && episode > half ? (season + 1, episode - half) : (season, episode);
    }

    JsonObject TvdbEpisodes(int tvdbId, int page)
    {
        var id = tvdbId - TvdbOffset;
        var all = new List<JsonNode>();
        for (var s = 1; s <= Seasons; s++)
            for (var e = 1; e <= EpisodesPerSeason; e++)
            {
                var (ts, tn) = TvdbNumber(s, e);
                all.Add(new JsonObject
                {
                    ["id"] = tvdbId * 1000 + s * 100 + e, ["seriesId"] = tvdbId, ["name"] = $"Episode {s}x{e}", ["aired"] = AirDate(s, e).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["runtime"] = 47, ["seasonNumber"] = ts, ["number"] = tn, ["absoluteNumber"] = (s - 1) * EpisodesPerSeason + e,
                });
            }
        var pageItems = all.Skip(page * TvdbPageSize).Take(TvdbPageSize).ToArray();
        var more = (page + 1) * TvdbPageSize < all.Count;
        return new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject { ["series"] = new JsonObject { ["id"] = tvdbId, ["name"] = $"Series {id}" }, ["episodes"] = new JsonArray(pageItems) },
            ["links"] = new JsonObject
            {
                ["prev"] = page > 0 ? $"{TvdbUrl}/series/{tvdbId}/episodes/default?page={page - 1}" : null,
                ["self"] = $"{TvdbUrl}/series/{tvdbId}/episodes/default?page={page}",
                ["next"] = more ? $"{TvdbUrl}/series/{tvdbId}/episodes/default?page={page + 1}" : null,
                ["total_items"] = all.Count, ["page_size"] = TvdbPageSize,
            },
        };
    }

    static int? Int(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
