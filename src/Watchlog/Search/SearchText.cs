using System.Text;
using System.Text.RegularExpressions;
using Watchlog.Catalog;

namespace Watchlog.Search;

/// <summary>
/// How text becomes search tokens, the same for documents and queries on both engines: <see cref="Normalize.MatchKey"/>
/// (case, accents, punctuation and '&amp;' folded), split on spaces. Titles get extra tokens so that the ways people
/// write a title all meet: adjacent words joined ("spider man" → "spiderman", "wall e" → "walle"), initialisms joined
/// ("S.H.I.E.L.D." → "shield") and a possessive without its s ("Schindler's" → "schindlers" and "schindler").
/// </summary>
public static partial class SearchText
{
    /// <summary>Longest token kept; longer runs of letters are cut (nobody types them, and they bloat the index).</summary>
    public const int MaxTokenLength = 40;

    /// <summary>Words of this length or more get one typo forgiven.</summary>
    public const int TypoMinLength = 5;

    public static string Key(string? text) => Normalize.MatchKey(Clean(text));

    public static string[] Tokens(string? text)
    {
        var key = Key(text);
        if (key.Length == 0) return [];
        var parts = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
            if (parts[i].Length > MaxTokenLength) parts[i] = parts[i][..MaxTokenLength];
        return parts;
    }

    /// <summary>The title's tokens plus the joined and possessive forms, space separated and de-duplicated.</summary>
    public static string TitleKey(string? title)
    {
        var tokens = Tokens(title);
        if (tokens.Length == 0) return "";
        var all = new List<string>(tokens.Length * 2);
        all.AddRange(tokens);
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            var joined = tokens[i] + tokens[i + 1];
            if (joined.Length <= MaxTokenLength) all.Add(joined);
        }
        // Initialisms: "S.H.I.E.L.D." → "s h i e l d" → also "shield".
        for (var i = 0; i < tokens.Length; i++)
        {
            var j = i;
            while (j < tokens.Length && tokens[j].Length == 1) j++;
            if (j - i >= 2) all.Add(string.Concat(tokens[i..j]));
            i = j;
        }
        if (title is not null && Possessive().IsMatch(title))
            all.AddRange(Tokens(Possessive().Replace(title, "")));
        return string.Join(' ', all.Distinct(StringComparer.Ordinal));
    }

    /// <summary>Space-separated tokens of several texts (alternate titles, people), de-duplicated.</summary>
    public static string ListKey(IEnumerable<string?> texts, int maxTokens = 400)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var text in texts)
            foreach (var token in Tokens(text))
            {
                if (seen.Count >= maxTokens) return sb.ToString();
                if (!seen.Add(token)) continue;
                if (sb.Length > 0) sb.Append(' ');
                sb.Append(token);
            }
        return sb.ToString();
    }

    /// <summary>Replaces what would break normalization (lone surrogates) and cuts absurd lengths.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.Length > 4096) text = text[..4096];
        Span<char> buffer = text.Length <= 512 ? stackalloc char[text.Length] : new char[text.Length];
        var changed = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                buffer[i] = c;
                buffer[i + 1] = text[i + 1];
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || char.IsControl(c)) { buffer[i] = ' '; changed = true; }
            else buffer[i] = c;
        }
        return changed ? new string(buffer) : text;
    }

    /// <summary>The word and every form of it with one letter removed (symmetric-deletion typo lookup).</summary>
    public static IEnumerable<string> Variants(string word)
    {
        yield return word;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < word.Length; i++)
        {
            var v = string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1));
            if (seen.Add(v)) yield return v;
        }
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> differ by at most one insertion, deletion,
    /// substitution or swap of neighbouring letters.</summary>
    public static bool WithinOneEdit(string a, string b)
    {
        if (a == b) return true;
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (a.Length == b.Length)
        {
            if (a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1))) return true; // substitution
            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2)); // swap
        }
        return a.Length > b.Length ? a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i)) : a.AsSpan(i).SequenceEqual(b.AsSpan(i + 1));
    }

    [GeneratedRegex(@"(?<=\p{L})['’]s\b", RegexOptions.CultureInvariant)]
    private static partial Regex Possessive();
}
