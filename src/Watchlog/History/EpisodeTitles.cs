using Watchlog.Catalog;

namespace Watchlog.History;

/// <summary>
/// A looser key for episode titles, for when the exact <see cref="Normalize.MatchKey"/> differs only in how a service
/// dresses the same title: chapter markers ("Chapter Thirteen: The Sweet Hereafter" on the catalog, "Luku 13: The Sweet
/// Hereafter" in a Finnish Netflix file, "The Book of X: Ensimmäinen luku: …"), the words for "part" and "pilot" in the
/// languages Netflix writes (Osa, Teil, Parte, Partie, Deel; Pilotti, Pilotfolge, Piloto, Pilote), and articles
/// ("The Rise of …" against "Rise of …"). Used only inside one series, after the exact key found nothing.
/// </summary>
public static class EpisodeTitles
{
    static readonly HashSet<string> ChapterWords = new(StringComparer.Ordinal)
        { "chapter", "luku", "kapitel", "capitulo", "chapitre", "capitolo", "hoofdstuk", "kapittel", "kappale", "rozdzial" };

    static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["osa"] = "part", ["teil"] = "part", ["parte"] = "part", ["partie"] = "part", ["deel"] = "part", ["del"] = "part", ["czesc"] = "part",
        ["pilotti"] = "pilot", ["pilotfolge"] = "pilot", ["piloto"] = "pilot", ["pilote"] = "pilot", ["pilota"] = "pilot", ["pilotaflevering"] = "pilot",
    };

    static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "the", "a", "an" };

    static readonly HashSet<string> NumberWords = new(StringComparer.Ordinal)
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
        "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "and",
    };

    // "Chapter 13", "Chapter One Hundred and One", "Luku 13": the word, then a number; "Ensimmäinen luku", "Kapitel neun"
    // (a number word of any language, short): two or three words with the chapter word first or last.
    static bool IsChapterMarker(string[] words)
    {
        if (ChapterWords.Contains(words[0]) && words.Length > 1 && words.Skip(1).All(w => w.All(char.IsAsciiDigit) || NumberWords.Contains(w))) return true;
        return words.Length is 2 or 3 && (ChapterWords.Contains(words[0]) || ChapterWords.Contains(words[^1]));
    }

    /// <summary>The loose key, or "" when nothing is left once the chapter markers are gone ("Chapter 1" alone).</summary>
    public static string LooseKey(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return "";
        var kept = new List<string>();
        foreach (var segment in title.Split(':'))
        {
            var words = Normalize.MatchKey(segment).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            // "Chapter Ninety-Five", "Luku 13", "Ensimmäinen luku", "Kapitel neun": a marker, not the title.
            if (IsChapterMarker(words)) continue;
            foreach (var w in words)
            {
                if (Articles.Contains(w)) continue;
                kept.Add(Words.GetValueOrDefault(w, w));
            }
        }
        return string.Join(' ', kept);
    }
}
