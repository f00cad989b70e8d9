using Watchlog.Imports.Catalog;

namespace Watchlog.Catalog;

/// <summary>
/// The small catalog that ships inside Watchlog (Catalog/Starter/starter.jsonl: well-known films and series, facts only)
/// so a newcomer can try everything at once. Loaded at start when the catalog is empty, unless
/// <c>Watchlog:StarterCatalog</c> is false.
/// </summary>
public sealed class StarterCatalog(CatalogImport import, TitleStore titles, ILogger<StarterCatalog> log)
{
    public const string Source = "starter";

    public async Task<ImportSummary?> LoadIfEmptyAsync(CancellationToken ct)
    {
        if (await titles.CountAsync(ct) > 0) return null;
        var path = Path.Combine(Path.GetTempPath(), $"watchlog-starter-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var resource = typeof(StarterCatalog).Assembly.GetManifestResourceStream("Watchlog.Starter.starter.jsonl")
                                       ?? throw new InvalidOperationException("The starter catalog is missing from the build."))
            await using (var file = File.Create(path))
                await resource.CopyToAsync(file, ct);
            var summary = await import.RunAsync(path, "jsonl", new CatalogImportOptions(Source: Source), null, ct);
            log.LogInformation("Loaded the starter catalog: {Imported} titles ({Skipped} skipped)", summary.Imported, summary.Skipped);
            foreach (var bad in summary.SkippedRows) log.LogWarning("Starter catalog line {Line} skipped: {Reason}", bad.Line, bad.Reason);
            return summary;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
