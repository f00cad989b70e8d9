using Microsoft.AspNetCore.Http.Features;
using Watchlog.Accounts;
using Watchlog.Web;

namespace Watchlog.History;

/// <summary>The web UI's import upload (History/Pages/Imports.razor): the same checks and queue as <c>POST /api/imports</c>.</summary>
public static class HistoryPages
{
    public static void MapHistoryPages(this IEndpointRouteBuilder app) => app.MapForm("/imports/upload", UploadAsync);

    static async Task<IResult> UploadAsync(HttpContext http, HistoryImporter importer, ImportStore store, ImportQueue queue, TimeProvider clock, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = ImportInput.MaxBytes + (1 << 20);
        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(ct); }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            WebAuth.Flash(http, $"The upload could not be read: {e.Message}", error: true);
            return WebAuth.SeeOther(http, "/imports");
        }
        var (id, errors) = await HistoryModule.StartAsync(form, WebAuth.Me(http), importer, store, queue, clock, ct);
        if (errors is not null) WebAuth.Flash(http, WebForms.Describe(errors), error: true);
        else WebAuth.Flash(http, $"Import {id} started: it runs in the background; reload this page to follow it.");
        return WebAuth.SeeOther(http, "/imports");
    }
}
