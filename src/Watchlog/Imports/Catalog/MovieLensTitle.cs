using System.Globalization;
using System.Text.RegularExpressions;
using Watchlog.Catalog;

namespace Watchlog.Imports.Catalog;

/// <summary>
/// A MovieLens title taken apart. MovieLens writes "Title (Year)", moves a leading article behind a comma in any
/// language ("Misérables, Les", "American President, The"), and adds other titles in parentheses before the year:
/// "City of Lost Children, The (Cité des enfants perdus, La) (1995)", "Seven (a.k.a. Se7en) (1995)".
/// </summary>
public sealed partial record MovieLensTitle(string Title, int? Year, IReadOnlyList<AliasEntry> Aliases)
{
    // Articles MovieLens moves behind a comma: English, French, Italian, Spanish, Portuguese, German, Dutch and Scandinavian.
    static readonly HashSet<string> Articles = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "Le", "La", "Les", "L'", "Un", "Une", "Il", "Lo", "I", "Gli", "Uno", "Una", "El", "Los", "Las",
        "O", "Os", "As", "Der", "Die", "Das", "Ein", "Eine", "De", "Het", "Een", "Den", "Det", "En", "Ett", "Et", "Da",
    };

    public static MovieLensTitle Parse(string raw)
    {
        var text = raw.Trim();
        int? year = null;
        if (TrailingYear().Match(text) is { Success: true } m)
        {
            year = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            text = text[..m.Index].TrimEnd();
        }

        var others = new List<string>();
        while (TrailingParentheses(text) is { } open)
        {
            others.Insert(0, text[(open + 1)..^1].Trim());
            text = text[..open].TrimEnd();
        }

        var title = FrontArticle(text);
        var aliases = new List<AliasEntry>();
        foreach (var other in others)
        {
            var aka = other.StartsWith("a.k.a. ", StringComparison.OrdinalIgnoreCase);
            var alias = FrontArticle(aka ? other[7..].Trim() : other);
            if (alias.Length == 0 || string.Equals(alias, title, StringComparison.OrdinalIgnoreCase) || aliases.Any(a => a.Title == alias)) continue;
            aliases.Add(new AliasEntry { Title = alias, Kind = aka ? "aka" : null });
        }
        return new MovieLensTitle(title, year, aliases);
    }

    /// <summary>Where "(…)" at the end of the text opens, when something comes before it; null otherwise.</summary>
    static int? TrailingParentheses(string text)
    {
        if (!text.EndsWith(')')) return null;
        var depth = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == ')') depth++;
            else if (text[i] == '(' && --depth == 0)
                return i > 0 && text[i - 1] == ' ' && text[..i].Trim().Length > 0 ? i : null;
        }
        return null;
    }

    /// <summary>
    /// "American President, The" → "The American President"; "Ours, L'" → "L'Ours"; also before a subtitle:
    /// "Crow, The: Wicked Prayer" → "The Crow: Wicked Prayer".
    /// </summary>
    static string FrontArticle(string text)
    {
        var comma = text.LastIndexOf(", ", StringComparison.Ordinal);
        if (comma > 0 && Articles.Contains(text[(comma + 2)..])) return Join(text[(comma + 2)..], text[..comma]);
        if (ArticleBeforeSubtitle().Match(text) is { Success: true } m && Articles.Contains(m.Groups[2].Value))
            return Join(m.Groups[2].Value, m.Groups[1].Value) + text[(m.Groups[2].Index + m.Groups[2].Length)..];
        return text;
    }

    static string Join(string article, string rest) => article.EndsWith('\'') ? article + rest : article + " " + rest;

    [GeneratedRegex(@"\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)$")] private static partial Regex TrailingYear();
    [GeneratedRegex(@"^(.+?), ([A-Z][a-z]{0,3}'?):\s")] private static partial Regex ArticleBeforeSubtitle();
}
