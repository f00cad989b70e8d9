using Watchlog.Catalog;

namespace Watchlog.Imports.Catalog.Imdb;

/// <summary>
/// IMDb's non-commercial datasets (FORMATS.md D.2): a folder holding title.basics and, when present, name.basics,
/// title.ratings, title.akas, title.principals and title.episode, each .tsv.gz or .tsv. Three streaming passes:
/// people from name.basics (so credits can link to them by nconst), then titles (movies and series), then episodes
/// under their series. Ids are tconsts.
/// </summary>
public sealed class ImdbFormat : IMultiPassCatalogFormat
{
    public string Name => "imdb";

    public string DefaultSource(CatalogImportOptions options) => "imdb";

    public async Task BeforeTitlesAsync(string path, CatalogImportOptions options, ImportPasses passes, CancellationToken ct)
    {
        var files = Find(path, passes.Position);
        if (files.Names is null) return;
        passes.BeginStage("people");
        // Nothing is joined to name.basics, so its order doesn't matter.
        await using var names = await TsvReader.OpenAsync(files.Names, NameRow.Columns, ordered: false, passes.Position, ct);
        var batch = new List<PersonRecord>(options.BatchSize);
        while (await names.ReadAsync(ct))
        {
            if (names.Fields() is not { } fields) continue;
            var name = NameRow.From(fields);
            batch.Add(new PersonRecord(name.Nconst, name.PrimaryName, name.BirthYear, name.DeathYear));
            if (batch.Count < options.BatchSize) continue;
            await passes.WritePeopleAsync(batch, ct);
            batch = new List<PersonRecord>(options.BatchSize);
        }
        if (batch.Count > 0) await passes.WritePeopleAsync(batch, ct);
    }

    public IAsyncEnumerable<ImportRow> ReadAsync(string path, CatalogImportOptions options, ReadPosition position, CancellationToken ct) =>
        ImdbTitles.ReadAsync(Find(path, position), position, ct);

    public async Task AfterTitlesAsync(string path, CatalogImportOptions options, ImportPasses passes, CancellationToken ct)
    {
        var files = Find(path, passes.Position);
        if (files.Episodes is null) return;
        passes.BeginStage("episodes");
        var batch = new List<SourcedEpisode>(options.BatchSize);
        await foreach (var row in ImdbEpisodes.ReadAsync(files.Episodes, files.TitleBasics, passes.Position, ct))
        {
            if (row.Episode is not { } episode)
            {
                passes.Skip(row.Line, row.SkipReason ?? "unreadable");
                continue;
            }
            batch.Add(episode);
            if (batch.Count < options.BatchSize) continue;
            await passes.WriteEpisodesAsync(batch, ct);
            batch = new List<SourcedEpisode>(options.BatchSize);
        }
        if (batch.Count > 0) await passes.WriteEpisodesAsync(batch, ct);
    }

    static ImdbFiles Find(string path, ReadPosition position)
    {
        var files = ImdbFiles.Find(path);
        position.Total = files.TotalBytes;
        return files;
    }
}
