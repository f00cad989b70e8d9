using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Watchlog.Catalog;

namespace Watchlog.Imports.Catalog.Imdb;

/// <summary>A title.episode row ready to be written under its series, or the reason it is skipped.</summary>
readonly record struct ImdbEpisode(int Line, SourcedEpisode? Episode, string? SkipReason);

/// <summary>
/// The episode pass: title.episode merge-joined with the episodes' own title.basics rows (both sorted by the episode's
/// tconst) for the episode title and runtime.
/// </summary>
static partial class ImdbEpisodes
{
    [GeneratedRegex(@"^Episode #\d+\.\d+$")] private static partial Regex Placeholder();

    public static async IAsyncEnumerable<ImdbEpisode> ReadAsync(string episodesPath, string basicsPath, ReadPosition position, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var episodes = await TsvReader.OpenAsync(episodesPath, EpisodeRow.Columns, ordered: true, position, ct);
        await using var basics = await TsvReader.OpenAsync(basicsPath, BasicsRow.Columns, ordered: true, position, ct);
        while (await episodes.ReadAsync(ct))
        {
            if (episodes.Fields() is not { } fields)
            {
                yield return new ImdbEpisode(episodes.Line, null, $"expected {episodes.Width} tab-separated fields");
                continue;
            }
            var row = EpisodeRow.From(fields);
            var title = await basics.RowsForAsync(row.Tconst, ct) is [var b, ..] ? BasicsRow.From(b) : (BasicsRow?)null;
            yield return From(episodes.Line, row, title);
        }
    }

    public static ImdbEpisode From(int line, EpisodeRow row, BasicsRow? title)
    {
        if (row.ParentTconst is null) return new ImdbEpisode(line, null, "episode has no series");
        // IMDb leaves the numbers empty for episodes it hasn't placed (often hundreds per daily show). Numbering them
        // into season 0 would invent "specials" that match no other source (TheTVDB and TMDB number specials
        // themselves, and Sonarr and Trakt go by those numbers), and would shift with every new dump: so they are skipped.
        if (row.SeasonNumber is not { } season || row.EpisodeNumber is not { } number)
            return new ImdbEpisode(line, null, "episode has no season or episode number");
        if (title is { IsAdult: true }) return new ImdbEpisode(line, null, "adult titles are not imported");

        var episode = new EpisodeEntry
        {
            Number = number,
            // "Episode #1.5" is IMDb's stand-in for an unknown title; it must not overwrite a real one from another source.
            Title = title?.PrimaryTitle is { } name && !Placeholder().IsMatch(name) ? name : null,
            RuntimeMin = ImdbEntry.Runtime(title?.RuntimeMinutes),
            ImdbId = row.Tconst,
        };
        return new ImdbEpisode(line, new SourcedEpisode(line, row.ParentTconst, season, episode), null);
    }
}
