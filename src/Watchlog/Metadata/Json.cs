using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Watchlog.Metadata;

/// <summary>Lenient readers for provider payloads: a missing or mistyped optional field reads as null, never throws.</summary>
static class J
{
    public static JsonElement? Get(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string? Str(this JsonElement e, string name) =>
        e.Get(name) is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } s ? s.Trim() is { Length: > 0 } t ? t : null : null;

    public static int? Int(this JsonElement e, string name) => e.Get(name) switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => n,
        { ValueKind: JsonValueKind.String } v when int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static double? Num(this JsonElement e, string name) => e.Get(name) switch
    {
        { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
        { ValueKind: JsonValueKind.String } v when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static DateOnly? Date(this JsonElement e, string name) =>
        e.Str(name) is { Length: >= 10 } s && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static IEnumerable<JsonElement> Arr(this JsonElement e, string name) =>
        e.Get(name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : [];

    /// <summary>A field the title can't do without.</summary>
    public static int RequireInt(this JsonElement e, string name, string provider, string where) =>
        e.Int(name) ?? throw new MalformedPayloadException(provider, $"{where}: '{name}' is missing or not a number");

    public static string RequireStr(this JsonElement e, string name, string provider, string where) =>
        e.Str(name) ?? throw new MalformedPayloadException(provider, $"{where}: '{name}' is missing");

    /// <summary>{"a": payload, "b": [payloads]} without re-parsing: the payloads are written as received.</summary>
    public static string Combine(IEnumerable<(string Name, IReadOnlyList<string> Payloads, bool AsArray)> parts)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var (name, payloads, asArray) in parts)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append(JsonSerializer.Serialize(name, MetadataJsonContext.Default.String)).Append(':');
            if (asArray) sb.Append('[').AppendJoin(',', payloads).Append(']');
            else sb.Append(payloads.Count > 0 ? payloads[0] : "null");
        }
        return sb.Append('}').ToString();
    }
}
