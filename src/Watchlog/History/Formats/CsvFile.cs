using System.Text;
using Watchlog.Imports.Csv;

namespace Watchlog.History.Formats;

/// <summary>A whole CSV file read with the shared RFC 4180 reader: its header and records (BOM, CRLF and quoted newlines handled there).</summary>
sealed class CsvFile
{
    public required CsvHeader Header { get; init; }
    public required IReadOnlyList<CsvRecord> Records { get; init; }
    public required string Path { get; init; }

    public static CsvFile Read(string path, byte[] content, params string[] required)
    {
        if (!LooksLikeText(content)) throw new HistoryFileException($"{System.IO.Path.GetFileName(path)} is not a text (CSV) file.");
        content = Utf8(content);
        var all = CsvReader.ReadAsync(new MemoryStream(content), CancellationToken.None).ToBlockingEnumerable().ToList();
        if (all.Count == 0) throw new HistoryFileException($"{System.IO.Path.GetFileName(path)} is empty.");
        if (all[0].Error is not null) throw new HistoryFileException($"{System.IO.Path.GetFileName(path)}: the header cannot be read ({all[0].Error}).");
        var header = new CsvHeader(all[0]);
        var missing = header.Missing(required);
        if (missing.Count > 0)
            throw new HistoryFileException($"{System.IO.Path.GetFileName(path)} lacks the column(s) {string.Join(", ", missing)} " +
                                           $"(its header is: {string.Join(",", header.Names)}).");
        return new CsvFile { Header = header, Records = all.Skip(1).ToList(), Path = path };
    }

    /// <summary>UTF-8 (with or without BOM) text; IMDb's older files may be Windows-1252, which has no NUL bytes either.</summary>
    static bool LooksLikeText(byte[] content) => content.AsSpan(0, Math.Min(content.Length, 4096)).IndexOf((byte)0) < 0;

    public string Name => System.IO.Path.GetFileName(Path);

    public string Get(CsvRecord r, string column) => r[Header[column]].Trim();

    /// <summary>Strict UTF-8 as it is; anything else is taken as Windows-1252/Latin-1 (old IMDb exports) and re-encoded.</summary>
    static byte[] Utf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(bytes);
            return bytes;
        }
        catch (DecoderFallbackException) { return Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(bytes)); }
    }
}
