using System.Data.Common;
using System.Diagnostics;
using Watchlog.Catalog;

namespace Watchlog.Imports.Catalog;

/// <summary>
/// A format whose input holds more than titles, such as IMDb's people and episode files. <see cref="CatalogImport"/>
/// runs <see cref="BeforeTitlesAsync"/>, then the title rows of <see cref="ICatalogFormat.ReadAsync"/>, then
/// <see cref="AfterTitlesAsync"/>, all in one session, one summary and one progress bar.
/// </summary>
public interface IMultiPassCatalogFormat : ICatalogFormat
{
    /// <summary>Writes what the titles refer to (people their credits link to). All of it is committed before the titles.</summary>
    Task BeforeTitlesAsync(string path, CatalogImportOptions options, ImportPasses passes, CancellationToken ct);

    /// <summary>Writes what refers to the titles (episodes of the series just imported).</summary>
    Task AfterTitlesAsync(string path, CatalogImportOptions options, ImportPasses passes, CancellationToken ct);
}

/// <summary>
/// What the extra passes of a <see cref="IMultiPassCatalogFormat"/> write through. Counting: an episode row counts in
/// <see cref="ImportSummary.Read"/> and ends up in <see cref="ImportSummary.Episodes"/> or
/// <see cref="ImportSummary.Skipped"/>; people are counted apart in <see cref="ImportSummary.People"/>. As for titles,
/// one write is in flight while the next batch is read, and the summary is only touched on the reading side.
/// </summary>
public sealed class ImportPasses
{
    readonly CatalogImportSession _session;
    readonly ImportSummary _summary;
    readonly Stopwatch _clock;
    readonly IProgress<ImportSummary>? _progress;
    Task<Action>? _inFlight;
    TimeSpan _stageStart;

    internal ImportPasses(CatalogImportSession session, ImportSummary summary, ReadPosition position, Stopwatch clock, IProgress<ImportSummary>? progress)
    {
        _session = session;
        _summary = summary;
        Position = position;
        _clock = clock;
        _progress = progress;
    }

    /// <summary>The import's read position: passes add the bytes they read, so the progress bar covers every pass.</summary>
    public ReadPosition Position { get; }

    /// <summary>Names the pass that runs from now on, closing the one before.</summary>
    public void BeginStage(string name)
    {
        EndStage();
        _summary.Stage = name;
        _stageStart = _clock.Elapsed;
        Report();
    }

    internal void EndStage()
    {
        if (_summary.Stage is { } running) _summary.Stages.Add(new StageTime(running, _clock.Elapsed - _stageStart));
        _summary.Stage = null;
    }

    /// <summary>Stores a batch of people; the list must not change afterwards.</summary>
    public Task WritePeopleAsync(IReadOnlyList<PersonRecord> people, CancellationToken ct) =>
        SubmitAsync(() => WritePeopleCoreAsync(people, ct));

    async Task<Action> WritePeopleCoreAsync(IReadOnlyList<PersonRecord> people, CancellationToken ct)
    {
        var stored = await _session.WritePeopleAsync(people, ct);
        return () => _summary.People += stored;
    }

    /// <summary>Writes a batch of episodes under their series; the list must not change afterwards.</summary>
    public Task WriteEpisodesAsync(IReadOnlyList<SourcedEpisode> episodes, CancellationToken ct)
    {
        _summary.Read += episodes.Count;
        return SubmitAsync(() => WriteEpisodesCoreAsync(episodes, ct));
    }

    async Task<Action> WriteEpisodesCoreAsync(IReadOnlyList<SourcedEpisode> episodes, CancellationToken ct)
    {
        var results = new List<RowResult>(episodes.Count);
        await WriteEpisodesSplittingAsync(episodes, results, ct);
        return () =>
        {
            foreach (var r in results)
                if (r.Outcome == RowOutcome.Skipped) _summary.AddSkipped(r);
                else _summary.Episodes++;
        };
    }

    /// <summary>
    /// An episode the database refuses (say, one whose IMDb id another stored episode still holds because IMDb
    /// renumbered them) must not stop the import or take its batch with it: a refused batch is written again in
    /// halves, down to the single refused episode, which is skipped with the reason.
    /// </summary>
    async Task WriteEpisodesSplittingAsync(IReadOnlyList<SourcedEpisode> episodes, List<RowResult> results, CancellationToken ct)
    {
        try
        {
            results.AddRange(await _session.WriteEpisodesAsync(episodes, ct));
        }
        catch (DbException e) when (Watchlog.Data.DbErrors.IsRowProblem(e))
        {
            if (episodes.Count == 1)
            {
                results.Add(new RowResult(episodes[0].Line, RowOutcome.Skipped, $"the database refused it: {e.Message}", 0));
                return;
            }
            var half = episodes.Count / 2;
            await WriteEpisodesSplittingAsync(episodes.Take(half).ToList(), results, ct);
            await WriteEpisodesSplittingAsync(episodes.Skip(half).ToList(), results, ct);
        }
    }

    /// <summary>A row the format itself cannot use: counted as read and skipped with the reason.</summary>
    public void Skip(int line, string reason)
    {
        _summary.Read++;
        _summary.AddSkipped(new RowResult(line, RowOutcome.Skipped, reason, 0));
    }

    /// <summary>Waits for a write still in flight without counting it, when the import stops early.</summary>
    internal async Task DrainAsync()
    {
        if (_inFlight is null) return;
        try { await _inFlight; }
        catch (Exception) { /* the import is already failing with the error that stopped it */ }
        _inFlight = null;
    }

    /// <summary>Waits for the write in flight and counts it.</summary>
    public async Task FlushAsync()
    {
        if (_inFlight is null) return;
        var tally = await _inFlight;
        _inFlight = null;
        tally();
        Report();
    }

    /// <summary>Starts a write once the one before it is done, and returns without waiting for it.</summary>
    async Task SubmitAsync(Func<Task<Action>> write)
    {
        await FlushAsync();
        _inFlight = write();
    }

    void Report()
    {
        _summary.Elapsed = _clock.Elapsed;
        _summary.Fraction = Position.Fraction;
        _progress?.Report(_summary);
    }
}
