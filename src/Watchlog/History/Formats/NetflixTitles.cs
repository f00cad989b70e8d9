using System.Globalization;
using System.Text.RegularExpressions;
using Watchlog.Catalog;

namespace Watchlog.History.Formats;

/// <summary>
/// Netflix's display titles (FORMATS.md A.1): <c>Show: &lt;season label&gt;: Episode title</c>, in any UI language, next to
/// films whose names have colons of their own. Parsing gives the readings a title allows; the catalog decides.
/// </summary>
public static partial class NetflixTitles
{
    const string Sep = ": ";

    // Season labels with a number: English and the localised words Netflix uses (de, es/pt, fr, it, fi, nl, sv, da/no, pl).
    [GeneratedRegex(@"^(?:Season|Series|Staffel|Temporada|Saison|Stagione|Kausi|Seizoen|Säsong|Sæson|Sesong|Sezon|Part|Parte|Teil|Partie|Osa|Deel|Del|Volume|Vol\.|Book|Buch|Libro|Livre|Kirja|Chapter)\s+(?<n>[0-9]{1,3}|[IVXLC]{1,7}|[A-Za-z]+)(?:\s*[–—-]\s*.+)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberedLabel();

    // Labels that mean "the only season".
    [GeneratedRegex(@"^(?:Limited Series|Miniseries|Mini-?Series|Miniserie|Minisarja|Miniserien|Miniserier|Miniséries?|Serie limitada|Série limitée|Serie limitata|Serie limitata|Limitierte Serie|Rajoitettu sarja)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OnlySeasonLabel();

    // An episode title that is its number: "Episode 6", "Folge 3", "Jakso 2", "Episodio 4", "Épisode 5", "Aflevering 1".
    [GeneratedRegex(@"^(?:Episode|Folge|Jakso|Episodio|Épisode|Episódio|Aflevering|Avsnitt|Odcinek)\s+(?<n>[0-9]{1,4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberedEpisode();

    // The GDPR export's suffix: "Ozymandias (Episode 14)".
    [GeneratedRegex(@"\s*\((?:Episode|Folge|Jakso|Episodio|Épisode|Episódio|Aflevering|Avsnitt|Odcinek)\s+(?<n>[0-9]{1,4})\)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EpisodeSuffix();

    static readonly string[] Spelled = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"];

    /// <summary>The parsed title: its readings, and the fields shown for the row (the most likely reading).</summary>
    public sealed record Parsed(string? Kind, string Title, int? Season, int? Episode, string? EpisodeTitle, bool HasLabel, IReadOnlyList<Reading> Readings);

    public static Parsed Parse(string raw, IReadOnlySet<string>? labelledShows = null)
    {
        var parsed = ParseSplit(raw, labelledShows);
        return parsed with { Readings = WithTranslations(parsed.Readings) };
    }

    /// <summary>
    /// Netflix outside English writes many names as "Original – Translation" ("Altered Carbon – Muuntohiili", "PJ Masks –
    /// Pyjamahelden"): each side is also tried as the title, a little less believed than the whole.
    /// </summary>
    static IReadOnlyList<Reading> WithTranslations(IReadOnlyList<Reading> readings)
    {
        if (!readings.Any(r => r.Title.Contains(TranslationSep, StringComparison.Ordinal))) return readings;
        var all = new List<Reading>(readings);
        foreach (var r in readings)
        {
            var sides = r.Title.Split(TranslationSep, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (sides.Length != 2) continue;
            foreach (var side in sides) all.Add(r with { Title = side, Weight = r.Weight * 0.95 });
        }
        return all;
    }

    const string TranslationSep = " – ";

    static Parsed ParseSplit(string raw, IReadOnlySet<string>? labelledShows)
    {
        var text = raw.Trim();
        int? suffixNumber = null;
        var suffix = EpisodeSuffix().Match(text);
        if (suffix.Success)
        {
            suffixNumber = int.Parse(suffix.Groups["n"].Value, CultureInfo.InvariantCulture);
            text = text[..suffix.Index];
        }
        var parts = text.Split(Sep);
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var show = string.Join(Sep, parts[..i]);
            var season = SeasonOf(parts[i], show);
            if (season is null) continue;
            var rest = i + 1;
            // "Book One: Water: …": the label's own subtitle belongs to it when more follows.
            if (parts[i].StartsWith("Book ", StringComparison.OrdinalIgnoreCase) && parts.Length - rest >= 2) rest++;
            var episodeTitle = string.Join(Sep, parts[rest..]);
            var number = suffixNumber ?? NumberIn(episodeTitle);
            var reading = new Reading("episode", show, season.Value == 0 ? null : season.Value, number, episodeTitle, 1.0);
            return new Parsed("episode", show, reading.Season, number, episodeTitle, true, [reading]);
        }

        if (parts.Length == 1)
        {
            if (suffixNumber is not null) // "Show (Episode 3)" without a season: an episode of a one-season show
                return new Parsed("episode", text, null, suffixNumber, null, false, [new Reading("episode", text, null, suffixNumber, null, 0.9)]);
            return new Parsed("movie", text, null, null, null, false, [new Reading("movie", text, null, null, null, 1.0)]);
        }

        // No label: a film with colons, or "Show: Episode" (any split). A show seen with labels elsewhere in the file wins.
        var readings = new List<Reading>();
        for (var i = parts.Length - 1; i >= 1; i--)
        {
            var show = string.Join(Sep, parts[..i]);
            var episodeTitle = string.Join(Sep, parts[i..]);
            var known = labelledShows?.Contains(Normalize.MatchKey(show)) == true;
            readings.Add(new Reading("episode", show, null, suffixNumber ?? NumberIn(episodeTitle), episodeTitle, known ? 0.95 : 0.9));
        }
        var knownShow = readings.FirstOrDefault(r => r.Weight > 0.9);
        if (knownShow is not null) return new Parsed("episode", knownShow.Title, null, knownShow.Episode, knownShow.EpisodeTitle, false, [knownShow]);
        if (suffixNumber is null) readings.Insert(0, new Reading("movie", text, null, null, null, 1.0));
        return new Parsed(suffixNumber is null ? null : "episode", text, null, suffixNumber, null, false, readings);
    }

    /// <summary>The season a label names (0 when it is a label without a usable number, e.g. "Part B"), or null when the part is no label.</summary>
    static int? SeasonOf(string part, string show)
    {
        if (OnlySeasonLabel().IsMatch(part)) return 1;
        var m = NumberedLabel().Match(part);
        if (m.Success)
        {
            var token = m.Groups["n"].Value;
            if (Number(token) is { } number) return number;
            return token.Length == 1 ? 0 : null; // "Part B" is a label without a number; "Season Finale" is no label
        }
        // "Stranger Things: Stranger Things 4: …"
        if (part.Length > show.Length + 1 && part.StartsWith(show + " ", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(part.AsSpan(show.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100)
            return n;
        return null;
    }

    static int? Number(string token)
    {
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        var spelled = Array.FindIndex(Spelled, s => s.Equals(token, StringComparison.OrdinalIgnoreCase));
        if (spelled > 0) return spelled;
        if (Roman(token) is { } r) return r;
        return null;
    }

    public static int? Roman(string token)
    {
        var total = 0;
        var last = 0;
        for (var i = token.Length - 1; i >= 0; i--)
        {
            var v = char.ToUpperInvariant(token[i]) switch { 'I' => 1, 'V' => 5, 'X' => 10, _ => 0 };
            if (v == 0) return null;
            total += v < last ? -v : v;
            last = Math.Max(last, v);
        }
        return total is > 0 and < 40 && token.Length > 1 || token is "I" or "V" or "X" ? total : null;
    }

    static int? NumberIn(string episodeTitle)
    {
        var m = NumberedEpisode().Match(episodeTitle.Trim());
        return m.Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Whether a part is a season label (for collecting the file's labelled shows).</summary>
    public static bool IsLabelled(Parsed p) => p.HasLabel;
}
