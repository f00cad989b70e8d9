using System.Globalization;
using System.Text;
using System.Text.Json;
using Watchlog.Reports;
using Watchlog.Tracking;
using Watchlog.Web;

namespace Watchlog.Accounts;

/// <summary>
/// The settings page's forms: profile, password, region and platforms, preferences, API keys, export and account deletion.
/// Each runs what <c>/auth/me</c>, <c>/api/me/*</c> run (<see cref="ManageAccount"/>, <see cref="UpdatePreferences"/>,
/// <see cref="ApiKeyStore"/>, the export writers), so the rules and messages are the same.
/// </summary>
public static class SettingsPages
{
    public static void MapSettingsPages(this IEndpointRouteBuilder app)
    {
        app.MapForm("/settings/profile", ProfileAsync);
        app.MapForm("/settings/password", PasswordAsync);
        app.MapForm("/settings/platforms", PlatformsAsync);
        app.MapForm("/settings/preferences", PreferencesAsync);
        app.MapForm("/settings/keys", CreateKeyAsync);
        app.MapForm("/settings/keys/{id:long}/delete", DeleteKeyAsync);
        app.MapForm("/settings/delete", DeleteAccountAsync);
        app.MapGet("/settings/export", ExportAsync).ExcludeFromDescription().RequireAuthorization(WebCookieHandler.Policy);
    }

    static IResult Back(HttpContext http, AccountChange change, string done)
    {
        switch (change)
        {
            case AccountChange.Done: WebAuth.Flash(http, done); break;
            case AccountChange.Invalid i: WebAuth.Flash(http, WebForms.Describe(i.Errors), error: true); break;
            case AccountChange.EmailTaken: WebAuth.Flash(http, "An account with this email address already exists.", error: true); break;
            case AccountChange.Throttled t: WebAuth.Flash(http, $"Too many wrong passwords. Try again in {Math.Max(1, (int)Math.Ceiling(t.RetryAfter.TotalSeconds))} seconds.", error: true); break;
            default: WebAuth.SignOut(http); return WebAuth.SeeOther(http, "/signin");
        }
        return WebAuth.SeeOther(http, "/settings");
    }

    static async Task<IResult> ProfileAsync(HttpContext http, ManageAccount manage, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var request = new UpdateMeRequest
        {
            FirstName = form.Field("first_name"), LastName = form.Field("last_name"), Email = form.Field("email"),
            TimeZone = form.Field("time_zone"), CurrentPassword = form.Optional("current_password"),
        };
        return Back(http, await manage.UpdateProfileAsync(WebAuth.Me(http), request, ClientInfo.From(http), ct), "Profile saved.");
    }

    static async Task<IResult> PasswordAsync(HttpContext http, ManageAccount manage, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var request = new ChangePasswordRequest { CurrentPassword = form["current_password"].ToString(), NewPassword = form["new_password"].ToString() };
        return Back(http, await manage.ChangePasswordAsync(WebAuth.Me(http), request, ClientInfo.From(http), ct),
            "Password changed. Every other session has been signed out.");
    }

    static async Task<IResult> PlatformsAsync(HttpContext http, UpdatePreferences preferences, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var request = new PlatformsRequest { Region = form.Field("region"), Platforms = Array(form["platforms"]) };
        var (_, errors) = await preferences.SetPlatformsAsync(WebAuth.Me(http), request, ct);
        if (errors is not null) WebAuth.Flash(http, WebForms.Describe(errors), error: true);
        else WebAuth.Flash(http, "Region and platforms saved.");
        return WebAuth.SeeOther(http, "/settings");
    }

    static async Task<IResult> PreferencesAsync(HttpContext http, UpdatePreferences preferences, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var moods = form.Field("moods").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var request = new PreferencesRequest { Moods = Array(moods), AvoidGenres = Array(form["avoid_genres"]) };
        var (_, errors) = await preferences.PatchAsync(WebAuth.Me(http), request, ct);
        if (errors is not null) WebAuth.Flash(http, WebForms.Describe(errors), error: true);
        else WebAuth.Flash(http, "Preferences saved.");
        return WebAuth.SeeOther(http, "/settings");
    }

    /// <summary>The new key is shown once, on the page the browser is sent to (in the one-time message, an HttpOnly cookie).</summary>
    static async Task<IResult> CreateKeyAsync(HttpContext http, ApiKeyStore keys, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var name = AccountRules.Label(form.Field("name"), ApiKeyStore.MaxNameLength, out var error);
        if (error is not null)
        {
            WebAuth.Flash(http, error + " Name the key after what will use it, e.g. 'Plex webhook'.", error: true);
            return WebAuth.SeeOther(http, "/settings#keys");
        }
        var created = await keys.CreateAsync(WebAuth.Me(http).Id, name!, ct);
        WebAuth.Flash(http, $"Your new API key “{created.Name}”: {created.Key} — copy it now, it is not shown again.");
        return WebAuth.SeeOther(http, "/settings#keys");
    }

    static async Task<IResult> DeleteKeyAsync(long id, HttpContext http, ApiKeyStore keys, CancellationToken ct)
    {
        var deleted = await keys.DeleteAsync(WebAuth.Me(http).Id, id, ct);
        WebAuth.Flash(http, deleted ? "API key deleted; it stopped working at once." : "You have no such API key.", error: !deleted);
        return WebAuth.SeeOther(http, "/settings#keys");
    }

    static async Task<IResult> DeleteAccountAsync(HttpContext http, ManageAccount manage, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var change = await manage.DeleteAsync(WebAuth.Me(http), new DeleteAccountRequest { Password = form["password"].ToString() }, ClientInfo.From(http), ct);
        if (change is not AccountChange.Done) return Back(http, change, "");
        WebAuth.SignOut(http);
        WebAuth.Flash(http, "Your account and everything in it has been deleted.");
        return WebAuth.SeeOther(http, "/signup");
    }

    /// <summary>The same export as <c>GET /api/me/export</c>, for the signed-in browser.</summary>
    static async Task<IResult> ExportAsync(HttpContext http, string? format, ExportStore store, PreferenceStore preferenceStore, TimeProvider clock, CancellationToken ct)
    {
        var me = WebAuth.Me(http);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        var now = clock.GetUtcNow().UtcDateTime;
        var preferences = await preferenceStore.GetPreferencesAsync(me.Id, ct);
        var response = http.Response;
        response.Headers.CacheControl = HttpCaching.PrivateNoStore;
        response.ContentType = csv ? "application/zip" : "application/json; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{JsonExport.FileName(now, me.Zone, csv ? "zip" : "json")}\"";
        if (csv) await CsvExport.WriteAsync(response.Body, store, me.Id, preferences, ct);
        else await JsonExport.WriteAsync(response.Body, store, me.Id, preferences, now, ct);
        return TypedResults.Empty;
    }

    /// <summary>Form values as the JSON array the API's request records hold.</summary>
    static JsonElement Array(IEnumerable<string?> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var v in values) if (!string.IsNullOrWhiteSpace(v)) writer.WriteStringValue(v.Trim());
            writer.WriteEndArray();
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }
}
