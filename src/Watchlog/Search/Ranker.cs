namespace Watchlog.Search;

/// <summary>A title the index offered for a query, with what the ranker and the responses need.</summary>
public sealed class Candidate
{
    public long Rank { get; init; }
    public long TitleId { get; init; }
    public string Kind { get; init; } = "";
    public int? Year { get; init; }
    public int? RuntimeMin { get; init; }
    public double Popularity { get; init; }
    public string Title { get; init; } = "";
    public string ExactKey { get; init; } = "";
    public string TitleKey { get; init; } = "";
    public string AltKey { get; init; } = "";
    public string PeopleKey { get; init; } = "";
    public string NetworkKey { get; init; } = "";
    public string? Network { get; init; }
    public string? Poster { get; init; }
    public string Genres { get; init; } = "";
    public string Platforms { get; init; } = "";
    public string Facets { get; init; } = "";

    /// <summary>Found by its whole title rather than in the popularity-ordered window.</summary>
    public bool ExactHit { get; init; }

    public bool HasFacet(string facet) => SearchRanker.HasToken(Facets, facet, prefix: false);
}

public readonly record struct Ranked(Candidate Doc, double Score);

/// <summary>
/// Orders candidates the same way on both engines (the engines only find them):
/// <list type="bullet">
/// <item>each query word scores by the best field it matches: title 10, alternate titles 6, people 3, network 2,
///   overview 0.5; a prefix match counts 0.8 of a whole word and a typo correction 0.6, so exact words stay ahead;</item>
/// <item>an exact title match adds 60, a title that starts with the query 15, and the share of the title the query
///   covers up to 10;</item>
/// <item>a year or type word in the query narrows to the titles that match it when there are any (and adds 20 / 8);</item>
/// <item>popularity adds at most a few points (log scale), and the rank order (popularity) breaks remaining ties.</item>
/// </list>
/// </summary>
public static class SearchRanker
{
    public const double Title = 10, Alt = 6, People = 3, Network = 2, Overview = 0.5;

    public static List<Ranked> Rank(SearchQuery query, IEnumerable<Candidate> candidates)
    {
        var list = candidates.ToList();
        if (query.Year is { } year && list.Any(c => MatchesYear(c, year))) list = list.Where(c => MatchesYear(c, year)).ToList();
        if (query.KindWord is { } kind && list.Any(c => c.Kind == kind)) list = list.Where(c => c.Kind == kind).ToList();

        var ranked = new List<Ranked>(list.Count);
        foreach (var c in list) ranked.Add(new Ranked(c, Score(query, c)));
        ranked.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Doc.Rank.CompareTo(b.Doc.Rank));
        return ranked;
    }

    static bool MatchesYear(Candidate c, int year) =>
        c.Year == year || HasToken(c.TitleKey, year.ToString(System.Globalization.CultureInfo.InvariantCulture), false);

    public static double Score(SearchQuery q, Candidate c)
    {
        double words = 0;
        var inTitle = 0;
        foreach (var t in q.Terms)
        {
            var best = Best(c, t.Token, t.Prefix, 1.0);
            foreach (var alt in t.Corrections)
            {
                if (best >= Title * 0.6) break;
                best = Math.Max(best, Best(c, alt, t.Prefix, 0.6));
            }
            if (best == 0) best = Overview; // the index found it, so the word is in the overview
            if (HasToken(c.TitleKey, t.Token, t.Prefix) || t.Corrections.Any(a => HasToken(c.TitleKey, a, t.Prefix))) inTitle++;
            words += best;
        }
        var score = q.Terms.Count == 0 ? 0 : words / q.Terms.Count * 4;

        if (c.ExactKey == q.Key || c.ExactKey == q.FullKey || Compact(c.ExactKey) == Compact(q.Key)) score += 60;
        else if (q.Key.Length > 0 && c.ExactKey.StartsWith(q.Key, StringComparison.Ordinal)
                 && (q.Terms.Count > 0 && q.Terms[^1].Prefix || c.ExactKey.Length == q.Key.Length || c.ExactKey[q.Key.Length] == ' '))
            score += 15;
        if (inTitle > 0)
        {
            var titleWords = 1 + c.ExactKey.Count(ch => ch == ' ');
            score += 10 * Math.Min(1.0, (double)inTitle / titleWords);
        }
        if (q.Year is { } year && MatchesYear(c, year)) score += 20;
        if (q.KindWord is { } kind && c.Kind == kind) score += 8;
        score += Math.Log10(1 + Math.Max(0, c.Popularity));
        return Math.Round(score, 4);
    }

    /// <summary>The key without spaces: "spiderman" and "spider man", "walle" and "wall e" are the same title.</summary>
    static string Compact(string key) => key.Contains(' ', StringComparison.Ordinal) ? key.Replace(" ", "", StringComparison.Ordinal) : key;

    static double Best(Candidate c, string token, bool prefix, double factor)
    {
        double best = 0;
        best = Math.Max(best, Field(c.TitleKey, token, prefix) * Title);
        if (best >= Title) return best * factor;
        best = Math.Max(best, Field(c.AltKey, token, prefix) * Alt);
        if (best >= Alt) return best * factor;
        best = Math.Max(best, Field(c.PeopleKey, token, prefix) * People);
        best = Math.Max(best, Field(c.NetworkKey, token, prefix) * Network);
        return best * factor;
    }

    /// <summary>1 for the whole word, 0.8 for a prefix of a word (when the query word may be a prefix), else 0.</summary>
    static double Field(string key, string token, bool prefix)
    {
        if (HasToken(key, token, false)) return 1;
        return prefix && HasToken(key, token, true) ? 0.8 : 0;
    }

    /// <summary>Whether a space-separated key holds <paramref name="token"/> as a word (or as the start of one).</summary>
    public static bool HasToken(string key, string token, bool prefix)
    {
        if (token.Length == 0) return false;
        var from = 0;
        while (from <= key.Length - token.Length)
        {
            var at = key.IndexOf(token, from, StringComparison.Ordinal);
            if (at < 0) return false;
            var end = at + token.Length;
            if ((at == 0 || key[at - 1] == ' ') && (prefix || end == key.Length || key[end] == ' ')) return true;
            from = at + 1;
        }
        return false;
    }
}
