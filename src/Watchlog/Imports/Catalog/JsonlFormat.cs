using System.Runtime.CompilerServices;
using System.Text.Json;
using Watchlog.Catalog;

namespace Watchlog.Imports.Catalog;

/// <summary>Watchlog's own catalog format: one <see cref="CatalogEntry"/> JSON object per line (docs/catalog-import.md).</summary>
public sealed class JsonlFormat : ICatalogFormat
{
    public string Name => "jsonl";

    public string DefaultSource(CatalogImportOptions options) => "jsonl";

    public async IAsyncEnumerable<ImportRow> ReadAsync(string path, CatalogImportOptions options, ReadPosition position, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        position.Total = stream.Length;
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var line = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            line++;
            if ((line & 1023) == 0) position.Done = stream.Position;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return Parse(line, text);
        }
    }

    static ImportRow Parse(int line, string text)
    {
        try
        {
            var entry = JsonSerializer.Deserialize(text, CatalogJsonContext.Default.CatalogEntry);
            return entry is null ? ImportRow.Bad(line, "the line is not a JSON object") : ImportRow.Ok(line, entry);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } p ? $" at {p[2..]}" : "";
            return ImportRow.Bad(line, $"invalid JSON{where}: {FirstSentence(e.Message)}");
        }
    }

    static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
