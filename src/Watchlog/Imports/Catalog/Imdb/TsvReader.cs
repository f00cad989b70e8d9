using System.IO.Compression;
using System.Text;

namespace Watchlog.Imports.Catalog.Imdb;

/// <summary>
/// One IMDb dataset file (.tsv.gz or .tsv), read line by line. IMDb's files have no quoting: fields are split on tabs
/// only, and <c>\N</c> is null. The first column is the key (tconst, titleId, nconst) and the files are sorted by it
/// as text (tt10000000 comes before tt1000001). Files that are joined side by side are opened as ordered: a key
/// smaller than the one before stops the import, because an unsorted file would otherwise lose rows without a word.
/// </summary>
sealed class TsvReader : IAsyncDisposable
{
    const int ReportEveryLines = 4096;
    readonly FileStream _file;
    readonly StreamReader _reader;
    readonly ReadPosition _position;
    readonly int[] _columns;
    readonly int _width;
    readonly bool _ordered;
    long _reported;
    bool _started;
    int _keyLength;

    TsvReader(string name, FileStream file, StreamReader reader, ReadPosition position, int[] columns, int width, bool ordered)
    {
        Name = name;
        _file = file;
        _reader = reader;
        _position = position;
        _columns = columns;
        _width = width;
        _ordered = ordered;
    }

    public string Name { get; }

    /// <summary>The line number of the current row (the header is line 1).</summary>
    public int Line { get; private set; }

    /// <summary>How many tab-separated fields each line has: as many as the header.</summary>
    public int Width => _width;

    /// <summary>The current line; null before the first <see cref="ReadAsync"/> and after the last.</summary>
    public string? Text { get; private set; }

    public ReadOnlySpan<char> Key => Text.AsSpan(0, _keyLength);

    /// <summary>Opens <paramref name="path"/> and finds <paramref name="columns"/> in its header; the first is the key.</summary>
    public static async Task<TsvReader> OpenAsync(string path, IReadOnlyList<string> columns, bool ordered, ReadPosition position, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Stream data = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            var reader = new StreamReader(data, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 1 << 16);
            var header = await ReadHeaderAsync(name, reader, ct);
            var map = new int[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                map[i] = Array.FindIndex(header, h => string.Equals(h.Trim(), columns[i], StringComparison.OrdinalIgnoreCase));
                if (map[i] < 0) throw new ImportException($"{name} has no '{columns[i]}' column; its header is: {Shorten(string.Join(' ', header))}");
            }
            if (map[0] != 0) throw new ImportException($"{name}: the first column must be '{columns[0]}', the key the file is sorted by");
            return new TsvReader(name, file, reader, position, map, header.Length, ordered) { Line = 1 };
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    static async Task<string[]> ReadHeaderAsync(string name, StreamReader reader, CancellationToken ct)
    {
        try
        {
            return (await reader.ReadLineAsync(ct))?.Split('\t') ?? throw new ImportException($"{name} is empty");
        }
        catch (InvalidDataException e)
        {
            throw new ImportException($"{name} is not a gzip file: {e.Message}");
        }
    }

    /// <summary>Moves to the next non-empty line; false at the end of the file.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        _started = true;
        while (true)
        {
            string? text;
            try { text = await _reader.ReadLineAsync(ct); }
            catch (InvalidDataException e) { throw new ImportException($"{Name} is damaged near line {Line + 1}: {e.Message}"); }
            if (text is null)
            {
                Text = null;
                return false;
            }
            Line++;
            if (Line % ReportEveryLines == 0) Report();
            if (text.Length == 0) continue;

            var tab = text.IndexOf('\t');
            var keyLength = tab < 0 ? text.Length : tab;
            if (_ordered && Text is not null && text.AsSpan(0, keyLength).SequenceCompareTo(Key) < 0)
                throw new ImportException(
                    $"{Name} is not in IMDb's order: line {Line} has {text[..keyLength]} after {Key}. The import reads IMDb's files side by side " +
                    "and needs each one sorted by its first column as IMDb publishes them; download the file again or sort it with LC_ALL=C sort.");
            Text = text;
            _keyLength = keyLength;
            return true;
        }
    }

    /// <summary>The current line's fields in the order the columns were asked for; null when the line has the wrong number of fields.</summary>
    public string?[]? Fields()
    {
        var raw = Text!.Split('\t');
        if (raw.Length != _width) return null;
        var fields = new string?[_columns.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var value = raw[_columns[i]];
            fields[i] = value == @"\N" ? null : value;
        }
        return fields;
    }

    /// <summary>
    /// The rows whose key is <paramref name="key"/>, passing over rows with smaller keys (titles nobody asks for).
    /// Keys must be asked for in the file's order. Rows with the wrong number of fields are left out.
    /// </summary>
    public async ValueTask<IReadOnlyList<string?[]>> RowsForAsync(string key, CancellationToken ct)
    {
        if (!_started) await ReadAsync(ct);
        List<string?[]>? rows = null;
        while (Text is not null)
        {
            var order = Key.SequenceCompareTo(key);
            if (order > 0) break;
            if (order == 0 && Fields() is { } fields) (rows ??= []).Add(fields);
            await ReadAsync(ct);
        }
        return rows ?? (IReadOnlyList<string?[]>)[];
    }

    void Report()
    {
        var at = _file.Position;
        _position.Done += at - _reported;
        _reported = at;
    }

    static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    public async ValueTask DisposeAsync()
    {
        // Whatever is left unread is done with: the progress bar counts the whole file.
        _position.Done += _file.Length - _reported;
        _reported = _file.Length;
        _reader.Dispose();
        await _file.DisposeAsync();
    }
}
