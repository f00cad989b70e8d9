namespace Watchlog.Imports.Csv;

/// <summary>
/// A header row: column names (trimmed, case-insensitive) to indexes. Importers look columns up by name, never by
/// position, because exporters add and reorder columns over time.
/// </summary>
public sealed class CsvHeader
{
    readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

    public CsvHeader(CsvRecord names)
    {
        Count = names.Count;
        for (var i = 0; i < names.Count; i++) _index.TryAdd(names[i].Trim(), i); // the first of two same-named columns wins
    }

    public int Count { get; }

    public IEnumerable<string> Names => _index.OrderBy(n => n.Value).Select(n => n.Key);

    /// <summary>The column's index, or -1 when the header has no such column (a record reads index -1 as "").</summary>
    public int this[string name] => _index.TryGetValue(name.Trim(), out var i) ? i : -1;

    /// <summary>Those of <paramref name="required"/> the header lacks, in the order given.</summary>
    public IReadOnlyList<string> Missing(params IEnumerable<string> required) => required.Where(n => this[n] < 0).ToList();
}
