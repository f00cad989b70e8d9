using System.Diagnostics;
using Watchlog.Catalog;

namespace Watchlog.Imports.Catalog;

/// <summary>One input row for a catalog import: an entry, or the reason the row could not even be read.</summary>
public readonly record struct ImportRow(int Line, CatalogEntry? Entry, string? Error)
{
    public static ImportRow Ok(int line, CatalogEntry entry) => new(line, entry, null);
    public static ImportRow Bad(int line, string error) => new(line, null, error);
}

/// <summary>A catalog format: turns a file (or folder) into rows.</summary>
public interface ICatalogFormat
{
    /// <summary>The name used with <c>--format</c>.</summary>
    string Name { get; }

    /// <summary>The default source name ids belong to, e.g. "imdb" or "streaming-csv:netflix".</summary>
    string DefaultSource(CatalogImportOptions options);

    /// <summary>Reads the rows; keeps <paramref name="position"/> up to date so a progress bar can show how far it got.</summary>
    IAsyncEnumerable<ImportRow> ReadAsync(string path, CatalogImportOptions options, ReadPosition position, CancellationToken ct);
}

/// <summary>How far a reader got, in bytes of input (all files together for multi-file formats).</summary>
public sealed class ReadPosition
{
    public long Done { get; set; }
    public long Total { get; set; }
    public double? Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : null;
}

public sealed record CatalogImportOptions(string? Platform = null, string? Region = null, string? Source = null, int BatchSize = 2000);

public sealed class ImportSummary
{
    public long Read { get; set; }
    public long Imported { get; set; }
    public long Updated { get; set; }
    public long Merged { get; set; }
    public long Skipped { get; set; }
    /// <summary>Episode rows written under their series (multi-pass formats); they count in <see cref="Read"/> too.</summary>
    public long Episodes { get; set; }
    /// <summary>People stored from a people file (multi-pass formats); not rows of <see cref="Read"/>.</summary>
    public long People { get; set; }
    public TimeSpan Elapsed { get; set; }
    /// <summary>The first skipped rows with their reasons (all are counted in <see cref="Skipped"/>).</summary>
    public List<RowResult> SkippedRows { get; } = [];
    public Dictionary<string, long> SkipReasons { get; } = new(StringComparer.Ordinal);
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Read / Elapsed.TotalSeconds : Read;
    /// <summary>How much of the input has been read, 0–1, when the format can tell.</summary>
    public double? Fraction { get; set; }
    /// <summary>The pass running now (multi-pass formats: "people", "titles", "episodes"); null for single-pass formats.</summary>
    public string? Stage { get; set; }
    /// <summary>How long each finished pass took, in order.</summary>
    public List<StageTime> Stages { get; } = [];

    internal void Add(RowResult r)
    {
        switch (r.Outcome)
        {
            case RowOutcome.Imported: Imported++; break;
            case RowOutcome.Updated: Updated++; break;
            case RowOutcome.Merged: Merged++; break;
            default: AddSkipped(r); break;
        }
    }

    internal void AddSkipped(RowResult r)
    {
        Skipped++;
        if (SkippedRows.Count < CatalogImport.KeptSkippedRows) SkippedRows.Add(r);
        var kind = ReasonKind(r.Reason);
        SkipReasons[kind] = SkipReasons.GetValueOrDefault(kind) + 1;
    }

    /// <summary>Groups reasons that differ only in their values: "year must be between …", "imdb id … belongs …".</summary>
    static string ReasonKind(string? reason)
    {
        if (reason is null) return "unknown";
        var quote = reason.IndexOf('\'');
        var cut = quote > 0 ? reason[..quote] : reason;
        return System.Text.RegularExpressions.Regex.Replace(cut, @"\b(tt|nm)?\d+\b", "N").Trim();
    }
}

public sealed record StageTime(string Name, TimeSpan Elapsed);

/// <summary>
/// Runs a catalog format through <see cref="CatalogWriter"/> in batches. Reading runs ahead of writing (one
/// batch in flight), so parsing and the database work overlap.
/// </summary>
public sealed class CatalogImport(CatalogWriter writer, IEnumerable<ICatalogFormat> formats)
{
    public const int KeptSkippedRows = 1000;

    public IReadOnlyList<string> Formats => formats.Select(f => f.Name).ToList();

    public ICatalogFormat? Find(string name) => formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public async Task<ImportSummary> RunAsync(string path, string format, CatalogImportOptions options, IProgress<ImportSummary>? progress, CancellationToken ct)
    {
        var fmt = Find(format) ?? throw new ImportException($"unknown format '{format}'; use one of {string.Join(", ", Formats)}");
        if (!File.Exists(path) && !Directory.Exists(path)) throw new ImportException($"{path} does not exist");
        // "Netflix", "netflix" and "NETFLIX" are one source: name it by the registry's slug when the platform is known.
        if (options.Platform is { } named && await writer.PlatformSlugAsync(named, ct) is { } slug) options = options with { Platform = slug };
        var session = writer.Begin(options.Source ?? fmt.DefaultSource(options));
        var summary = new ImportSummary();
        var position = new ReadPosition();
        var clock = Stopwatch.StartNew();

        var multiPass = fmt as IMultiPassCatalogFormat;
        var passes = new ImportPasses(session, summary, position, clock, progress);
        try
        {
            if (multiPass is not null)
            {
                await multiPass.BeforeTitlesAsync(path, options, passes, ct);
                await passes.FlushAsync(); // titles' credits link to the people written before them
                passes.BeginStage("titles");
            }
            await WriteTitlesAsync(fmt.ReadAsync(path, options, position, ct), session, summary, position, options, clock, progress, ct);
            if (multiPass is not null)
            {
                await multiPass.AfterTitlesAsync(path, options, passes, ct);
                await passes.FlushAsync();
                passes.EndStage();
            }
        }
        finally
        {
            await passes.DrainAsync(); // never leave a write running against a database the caller is about to close
        }
        if (summary.Imported + summary.Updated + summary.Merged >= Search.SearchIndex.CompactAfter)
            await writer.CompactSearchIndexAsync(ct);
        summary.Elapsed = clock.Elapsed;
        summary.Fraction = position.Fraction;
        progress?.Report(summary);
        return summary;
    }

    static async Task WriteTitlesAsync(IAsyncEnumerable<ImportRow> rows, CatalogImportSession session, ImportSummary summary, ReadPosition position,
        CatalogImportOptions options, Stopwatch clock, IProgress<ImportSummary>? progress, CancellationToken ct)
    {
        Task<IReadOnlyList<RowResult>>? inFlight = null;
        var batch = new List<SourcedEntry>(options.BatchSize);
        try
        {
            await foreach (var row in rows)
            {
                summary.Read++;
                if (row.Entry is null)
                {
                    summary.AddSkipped(new RowResult(row.Line, RowOutcome.Skipped, row.Error ?? "unreadable", 0));
                    continue;
                }
                batch.Add(new SourcedEntry(row.Line, row.Entry));
                if (batch.Count < options.BatchSize) continue;
                summary.Fraction = position.Fraction;
                if (inFlight is not null) Tally(summary, await inFlight, clock, progress);
                inFlight = session.WriteAsync(batch, ct);
                batch = new List<SourcedEntry>(options.BatchSize);
            }
            if (inFlight is not null) Tally(summary, await inFlight, clock, progress);
            inFlight = null;
            if (batch.Count > 0) Tally(summary, await session.WriteAsync(batch, ct), clock, progress);
        }
        finally
        {
            // Reading failed or was cancelled while a batch was being written: let that write finish first.
            if (inFlight is { IsCompleted: false })
                try { await inFlight; }
                catch (Exception) { /* the import is already failing with the error that stopped it */ }
        }
    }

    static void Tally(ImportSummary summary, IReadOnlyList<RowResult> results, Stopwatch clock, IProgress<ImportSummary>? progress)
    {
        foreach (var r in results) summary.Add(r);
        summary.Elapsed = clock.Elapsed;
        progress?.Report(summary);
    }
}

public sealed class ImportException(string message) : Exception(message);
