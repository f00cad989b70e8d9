namespace Watchlog.Web;

/// <summary>
/// Validation errors keyed by the snake_case field name the client sent, answered as a 400 problem+json
/// <c>{"errors": {"field": ["message"]}}</c>.
/// </summary>
public sealed class FieldErrors
{
    readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public IResult ToResult() => TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        detail: "Some fields are not valid; see errors.", title: "Invalid input");

    public static IResult One(string field, string message) => new FieldErrors().Add(field, message).ToResult();

    public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
