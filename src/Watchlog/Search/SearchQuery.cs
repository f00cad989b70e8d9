using System.Text;

namespace Watchlog.Search;

/// <summary>One token the query requires, with what may stand in for it (typo corrections).</summary>
public sealed record QueryTerm(string Token, bool Prefix, IReadOnlyList<string> Corrections)
{
    public IEnumerable<string> Alternatives => Corrections.Prepend(Token);
}

/// <summary>
/// A parsed query: the tokens every result must contain (the last one as a prefix), and the words that narrow rather
/// than require: a year ("dune 2021") and a type word ("breaking bad series"). Hostile input can't reach SQL as syntax:
/// tokens are <see cref="SearchText"/> keys (letters and digits only) and are quoted where the engine parses them.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<QueryTerm> Terms, int? Year, string? KindWord, string Key, string FullKey)
{
    /// <summary>Enough words for any title; the rest of a pasted paragraph is ignored.</summary>
    public const int MaxTokens = 10;

    public bool IsEmpty => Terms.Count == 0;

    public static SearchQuery Parse(string? text)
    {
        var tokens = SearchText.Tokens(text);
        if (tokens.Length > MaxTokens) tokens = tokens[..MaxTokens];
        int? year = null;
        string? kind = null;
        var required = new List<string>(tokens.Length);
        if (tokens.Length > 1)
        {
            foreach (var t in tokens)
            {
                if (year is null && t.Length == 4 && int.TryParse(t, out var y) && y is >= 1870 and <= 2100) { year = y; continue; }
                if (kind is null && KindOf(t) is { } k) { kind = k; continue; }
                required.Add(t);
            }
            if (required.Count == 0) { required.AddRange(tokens); year = null; kind = null; }
        }
        else required.AddRange(tokens);

        // As-you-type: only the last word typed is a prefix, and only while it is the last word of the query.
        var lastIsPrefix = tokens.Length > 0 && required.Count > 0 && ReferenceEquals(required[^1], tokens[^1]);
        var terms = required.Select((t, i) => new QueryTerm(t, lastIsPrefix && i == required.Count - 1, [])).ToList();
        // A lone letter inside the query ("handmaid s tale", "x men") is a word split by punctuation: it joins its
        // neighbour as an alternative ("handmaids", "xmen") instead of being required on its own.
        for (var i = terms.Count - 2; i >= 0 && terms.Count > 1; i--)
        {
            if (terms[i].Token.Length != 1) continue;
            if (i > 0) terms[i - 1] = terms[i - 1] with { Corrections = [.. terms[i - 1].Corrections, terms[i - 1].Token + terms[i].Token] };
            else terms[1] = terms[1] with { Corrections = [.. terms[1].Corrections, terms[0].Token + terms[1].Token] };
            terms.RemoveAt(i);
        }
        return new SearchQuery(terms, year, kind, string.Join(' ', required), string.Join(' ', tokens));
    }

    /// <summary>
    /// The query for finding candidates: without the little words ("the", "of", …) that every other title has, when
    /// other words remain. Requiring them only makes the engine walk huge posting lists; the ranker still sees them
    /// (exact title, coverage), so "the secret of the river" still puts that title above "Secret River".
    /// The last word stays: it may be the start of a longer one ("the of" → "office").
    /// </summary>
    public SearchQuery ForRetrieval()
    {
        var kept = Terms.Where((t, i) => i == Terms.Count - 1 || !Stopwords.Contains(t.Token)).DistinctBy(t => (t.Token, t.Prefix)).ToList();
        return kept.Count == Terms.Count ? this : this with { Terms = kept };
    }

    /// <summary>For people and overviews: a last word of one to three letters, still being typed, is left out when other
    /// words remain (as a prefix it would read every word of the overviews that starts with it).</summary>
    public SearchQuery ForMore() =>
        Terms.Count > 1 && Terms[^1].Prefix && Terms[^1].Token.Length < 4 ? this with { Terms = Terms.Take(Terms.Count - 1).ToList() } : this;

    static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "of", "and", "in", "on", "to", "for", "with", "at", "by", "from", "is", "it", "its", "my", "your",
        "his", "her", "i", "you", "me", "we", "our", "be", "as", "or", "no", "not", "this", "that", "what", "la", "le",
        "el", "de", "les", "los", "las", "der", "die", "das", "und",
    };

    public SearchQuery WithCorrections(IReadOnlyDictionary<string, IReadOnlyList<string>> corrections) =>
        this with { Terms = Terms.Select(t => corrections.TryGetValue(t.Token, out var c) ? t with { Corrections = [.. t.Corrections.Union(c)] } : t).ToList() };

    static string? KindOf(string token) => token switch
    {
        "movie" or "movies" or "film" or "films" => "movie",
        "series" or "show" or "shows" or "tv" or "miniseries" => "series",
        _ => null,
    };

    /// <summary>FTS5 MATCH text for the given columns: every term (a quoted token, or its alternatives OR-ed) AND-ed.</summary>
    public string Fts5(string columns, bool allowPrefix = true, int minPrefix = 1)
    {
        var sb = new StringBuilder();
        sb.Append('{').Append(columns).Append("} : (");
        for (var i = 0; i < Terms.Count; i++)
        {
            if (i > 0) sb.Append(" AND ");
            var t = Terms[i];
            var prefix = allowPrefix && t.Prefix && t.Token.Length >= minPrefix;
            if (t.Corrections.Count == 0) { Quote(sb, t.Token, prefix); continue; }
            sb.Append('(');
            Quote(sb, t.Token, prefix);
            foreach (var c in t.Corrections) { sb.Append(" OR "); Quote(sb, c, prefix); }
            sb.Append(')');
        }
        return sb.Append(')').ToString();

        static void Quote(StringBuilder sb, string token, bool prefix)
        {
            sb.Append('"').Append(token.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            if (prefix) sb.Append('*');
        }
    }

    /// <summary>PostgreSQL tsquery text for to_tsquery('simple', …); <paramref name="weights"/> like "AB" or "".</summary>
    public string TsQuery(string weights, bool allowPrefix = true, int minPrefix = 1)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < Terms.Count; i++)
        {
            if (i > 0) sb.Append(" & ");
            var t = Terms[i];
            var prefix = allowPrefix && t.Prefix && t.Token.Length >= minPrefix;
            sb.Append('(');
            Lexeme(sb, t.Token, prefix, weights);
            foreach (var c in t.Corrections) { sb.Append(" | "); Lexeme(sb, c, prefix, weights); }
            sb.Append(')');
        }
        return sb.ToString();

        static void Lexeme(StringBuilder sb, string token, bool prefix, string weights)
        {
            sb.Append('\'').Append(token.Replace("'", "''", StringComparison.Ordinal).Replace("\\", "\\\\", StringComparison.Ordinal)).Append('\'');
            if (prefix || weights.Length > 0) sb.Append(':');
            if (prefix) sb.Append('*');
            sb.Append(weights);
        }
    }
}
