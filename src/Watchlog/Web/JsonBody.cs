using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Watchlog.Web;

/// <summary>
/// Reads a JSON request body for handlers that answer bad input themselves. Minimal APIs' own body binding answers a
/// malformed body with a bare 400 and logs the reason; this says what was wrong, keyed by the field that was wrong
/// (<c>{"errors": {"email": ["Expected a string."]}}</c>), and asks for <c>application/json</c>, which a
/// cross-site HTML form cannot send. Pair it with <c>.Accepts&lt;T&gt;("application/json")</c> for OpenAPI.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return request.ContentLength is null or 0 && request.ContentType is null
                ? (null, FieldErrors.One("body", "Send the request body as a JSON object (Content-Type: application/json)."))
                : (null, TypedResults.Problem("Send the request body as JSON (Content-Type: application/json).",
                    statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, ct);
            return value is null ? (null, FieldErrors.One("body", "The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            if (field is null) return (null, FieldErrors.One("body", "The request body is not valid JSON."));
            var expected = type.Properties.FirstOrDefault(p => p.Name == field)?.PropertyType;
            return (null, FieldErrors.One(field, expected is null ? "This value is not valid." : $"Expected {Describe(expected)}."));
        }
    }

    // "$.email" → "email"; nested or array paths and syntax errors at the top belong to the body as a whole.
    static string? FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal)) return null;
        var name = path[2..];
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : null;
    }

    static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal)) return "a number";
        if (type == typeof(DateOnly)) return "a date (YYYY-MM-DD)";
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return "an ISO-8601 instant";
        if (type.IsArray || (type.IsGenericType && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))) return "an array";
        return "an object";
    }
}
