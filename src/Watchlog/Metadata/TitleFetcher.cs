using Watchlog.Catalog;

namespace Watchlog.Metadata;

/// <summary>
/// Fetches a whole title from every configured provider that knows it, outside any transaction. TMDB is the primary
/// source when it is on (its numbering is the catalog's); TheTVDB then adds its ids and its own numbering to each
/// episode it can pair (same air date, else same name, else same season and number), and fills fields TMDB left empty.
/// </summary>
public sealed class TitleFetcher(TmdbClient tmdb, TvdbClient tvdb)
{
    public bool AnyEnabled => tmdb.Enabled || tvdb.Enabled;
    public TmdbClient Tmdb => tmdb;
    public TvdbClient Tvdb => tvdb;

    /// <summary>What to fetch: the kind and whichever ids are known.</summary>
    public sealed record Keys(string Kind, int? Tmdb, int? Tvdb, string? Imdb);

    /// <summary>The providers used ("tmdb", "tvdb", "tmdb+tvdb") and the title; a null title: no provider has it.</summary>
    public async Task<(string Providers, FetchedTitle? Title)> FetchAsync(Keys keys, bool kindKnown, CancellationToken ct)
    {
        FetchedTitle? primary = null;
        var used = new List<string>();
        if (tmdb.Enabled)
        {
            var id = await tmdb.FindAsync(kindKnown ? keys.Kind : null, keys.Imdb, keys.Tmdb, keys.Tvdb, ct);
            if (id is { } found)
            {
                used.Add("tmdb");
                primary = await tmdb.GetTitleAsync(found.Kind, found.Id, ct);
            }
        }
        if (tvdb.Enabled)
        {
            var kind = primary?.Entry.Kind ?? keys.Kind;
            var tvdbId = primary?.Entry.ExternalIds?.Tvdb ?? keys.Tvdb;
            var id = await tvdb.FindAsync(primary is not null || kindKnown ? kind : null, primary?.Entry.ExternalIds?.Imdb ?? keys.Imdb, null, tvdbId, ct);
            if (id is { } found)
            {
                used.Add("tvdb");
                var second = await tvdb.GetTitleAsync(found.Kind, found.Id, ct);
                if (primary is null) primary = second;
                else if (second is not null) Merge(primary, second);
            }
        }
        return (used.Count == 0 ? (tmdb.Enabled ? "tmdb" : "tvdb") : string.Join('+', used), primary);
    }

    /// <summary>Adds TheTVDB's ids, numbering, gaps and aliases to a title fetched from TMDB.</summary>
    internal static void Merge(FetchedTitle primary, FetchedTitle tv)
    {
        var e = primary.Entry;
        var t = tv.Entry;
        e.ExternalIds ??= new ExternalIds();
        e.ExternalIds.Tvdb ??= tv.ProviderId;
        e.ExternalIds.Imdb ??= t.ExternalIds?.Imdb;
        e.Overview ??= t.Overview;
        e.Network ??= t.Network;
        e.Status ??= t.Status;
        e.RuntimeMin ??= t.RuntimeMin;
        e.Poster ??= t.Poster;
        if (t.Aliases is { Count: > 0 }) (e.Aliases ??= []).AddRange(t.Aliases);
        foreach (var (n, ids) in tv.Seasons)
            primary.Seasons[n] = primary.Seasons.TryGetValue(n, out var s) ? s with { TvdbId = ids.TvdbId } : ids;

        // Pair episodes across the two numberings.
        var mine = (e.Seasons ?? []).SelectMany(s => (s.Episodes ?? []).Select(ep => (Season: s.Number!.Value, Ep: ep))).ToList();
        var byDate = mine.Where(m => m.Ep.AirDate is not null).ToLookup(m => m.Ep.AirDate!.Value);
        var byName = mine.Where(m => m.Ep.Title is not null).ToLookup(m => Normalize.MatchKey(m.Ep.Title));
        var taken = new HashSet<(int, int)>();
        foreach (var s in t.Seasons ?? [])
            foreach (var ep in s.Episodes ?? [])
            {
                var tvKey = (s.Number!.Value, ep.Number!.Value);
                var tvIds = tv.Episodes.GetValueOrDefault(tvKey);
                (int Season, EpisodeEntry Ep)? match = null;
                var sameDay = ep.AirDate is { } d ? byDate[d].Where(m => !taken.Contains((m.Season, m.Ep.Number!.Value))).ToList() : [];
                if (sameDay.Count == 1) match = sameDay[0];
                else if (sameDay.Count > 1)
                    match = sameDay.FirstOrDefault(m => ep.Title is not null && Normalize.MatchKey(m.Ep.Title) == Normalize.MatchKey(ep.Title)) is { Ep: not null } named
                        ? named : sameDay.FirstOrDefault(m => (m.Season, m.Ep.Number) == (tvKey.Item1, tvKey.Item2)) is { Ep: not null } same ? same : null;
                if (match is null && ep.Title is not null)
                {
                    var named = byName[Normalize.MatchKey(ep.Title)].Where(m => !taken.Contains((m.Season, m.Ep.Number!.Value))).ToList();
                    if (named.Count == 1) match = named[0];
                }
                if (match is null && mine.FirstOrDefault(m => m.Season == tvKey.Item1 && m.Ep.Number == tvKey.Item2) is { Ep: not null } sameNumber
                    && !taken.Contains((sameNumber.Season, sameNumber.Ep.Number!.Value)))
                    match = sameNumber;
                if (match is not { } m2) continue;
                var key = (m2.Season, m2.Ep.Number!.Value);
                taken.Add(key);
                m2.Ep.AbsoluteNumber ??= ep.AbsoluteNumber;
                m2.Ep.Overview ??= ep.Overview;
                m2.Ep.RuntimeMin ??= ep.RuntimeMin;
                var old = primary.Episodes.GetValueOrDefault(key) ?? new EpisodeIds(null, null, null, null, null);
                primary.Episodes[key] = old with { TvdbId = tvIds?.TvdbId, TvdbSeason = tvKey.Item1, TvdbNumber = tvKey.Item2, Still = old.Still ?? tvIds?.Still };
            }

        // Both payloads, whole. TMDB's credits stand alone: the two providers' people can't be told apart by name.
        primary.Raw = primary.Raw[..^1] + "," + tv.Raw[1..];
    }
}
