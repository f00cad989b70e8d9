namespace Watchlog.Imports.Csv;

/// <summary>
/// One record of a CSV file: its fields as text (quotes removed, <c>""</c> unescaped, embedded newlines kept), or the
/// reason it could not be read.
/// </summary>
public sealed class CsvRecord
{
    static readonly string[] NoFields = [];
    readonly string[] _fields;

    internal CsvRecord(int line, string[] fields, string? error, long bytesRead)
    {
        Line = line;
        _fields = fields;
        Error = error;
        BytesRead = bytesRead;
    }

    internal static CsvRecord Malformed(int line, string error, long bytesRead) => new(line, NoFields, error, bytesRead);

    /// <summary>The line the record starts on, counting from 1 (a record with embedded newlines spans several).</summary>
    public int Line { get; }

    public int Count => _fields.Length;

    /// <summary>Why the record could not be read; it then has no fields.</summary>
    public string? Error { get; }

    /// <summary>Bytes of the input consumed up to the end of this record, for progress.</summary>
    public long BytesRead { get; }

    /// <summary>A field; one the record doesn't have (a short row, or an optional column the header lacks: -1) reads as "".</summary>
    public string this[int index] => index >= 0 && index < _fields.Length ? _fields[index] : "";

    public IReadOnlyList<string> Fields => _fields;
}
