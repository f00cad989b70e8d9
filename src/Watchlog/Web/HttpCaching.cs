using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;

namespace Watchlog.Web;

/// <summary>
/// Public reads are cacheable: the JSON body gets a strong ETag, <c>Cache-Control</c>, and a matching
/// <c>If-None-Match</c> gets 304 without a body.
/// </summary>
public static class HttpCaching
{
    public static IResult CachedJson<T>(HttpContext http, T value, JsonTypeInfo<T> type, string cacheControl)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(value, type);
        return CachedBytes(http, body, ETagOf(body), cacheControl);
    }

    /// <summary>A strong ETag for a response body.</summary>
    public static string ETagOf(ReadOnlySpan<byte> body) => $"\"{Convert.ToHexStringLower(SHA256.HashData(body)[..12])}\"";

    /// <summary>An already serialized JSON body (e.g. from a response cache) with its ETag.</summary>
    public static IResult CachedBytes(HttpContext http, byte[] body, string etag, string cacheControl)
    {
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = cacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (Matches(http.Request.Headers.IfNoneMatch, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    public const string PrivateNoStore = "private, no-store";

    /// <summary>Personal data (and anything carrying credentials) is never stored by a browser or a shared cache.</summary>
    public static TBuilder WithPrivateNoStore<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = PrivateNoStore;
            return await next(context);
        });

    static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var header in ifNoneMatch)
        {
            if (header is null) continue;
            foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "*") return true;
                var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part; // weak comparison, RFC 9110 13.1.2
                if (tag == etag) return true;
            }
        }
        return false;
    }
}
