using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Watchlog.Tests.Support;

/// <summary>
/// A browser without JavaScript over the in-process server: cookies kept, redirects followed, forms submitted as a browser
/// submits them (every field of the form, the pressed button's name and value, the antiforgery token the page rendered).
/// Over https://localhost, so the session cookie's Secure flag is exercised as it is behind TLS.
/// </summary>
public sealed class WebSession
{
    static readonly HtmlParser Parser = new();

    public WebSession(WatchlogApp app, bool followRedirects = true)
    {
        Client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost/"), HandleCookies = true, AllowAutoRedirect = followRedirects,
        });
    }

    public HttpClient Client { get; }

    /// <summary>The last page's response (after redirects).</summary>
    public HttpResponseMessage? Last { get; private set; }

    public async Task<IHtmlDocument> GetAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(url);
        return await ParseAsync(response, expected);
    }

    async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Last = response;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        return Parser.ParseDocument(body);
    }

    /// <summary>Submits the form matched by <paramref name="formSelector"/> on <paramref name="page"/>, pressing the button
    /// <paramref name="button"/> (a selector inside the form, or the first submit button), with <paramref name="fields"/> typed in.</summary>
    public async Task<IHtmlDocument> SubmitAsync(IHtmlDocument page, string formSelector, string? button = null,
        IDictionary<string, string>? fields = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new Xunit.Sdk.XunitException($"No form '{formSelector}' on the page.");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when input.Type is "submit" or "button":
                    break;
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked && input.Name is { Length: > 0 }) values.Add(new(input.Name, input.Value));
                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 }:
                    values.Add(new(input.Name, input.Value));
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 }:
                    var chosen = select.Options.FirstOrDefault(o => o.IsSelected) ?? select.Options.FirstOrDefault();
                    if (chosen is not null) values.Add(new(select.Name, chosen.Value));
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 }:
                    values.Add(new(area.Name, area.Value));
                    break;
            }
        }
        var pressed = button is null
            ? form.QuerySelector("button[type=submit], button:not([type])")
            : form.QuerySelector(button) ?? throw new Xunit.Sdk.XunitException($"No button '{button}' in form '{formSelector}'.");
        if (pressed?.GetAttribute("name") is { Length: > 0 } name) values.Add(new(name, pressed.GetAttribute("value") ?? ""));
        if (fields is not null)
        {
            foreach (var (key, value) in fields)
            {
                values.RemoveAll(v => v.Key == key);
                values.Add(new(key, value));
            }
        }
        var action = form.GetAttribute("action") ?? "";
        if (string.Equals(form.GetAttribute("method"), "get", StringComparison.OrdinalIgnoreCase))
        {
            var query = await new FormUrlEncodedContent(values).ReadAsStringAsync();
            return await ParseAsync(await Client.GetAsync(action + "?" + query), expected);
        }
        var response = await Client.PostAsync(action, new FormUrlEncodedContent(values));
        return await ParseAsync(response, expected);
    }

    /// <summary>Signs up through the sign-up form; the home page it lands on.</summary>
    public async Task<IHtmlDocument> SignUpAsync(string email = "ann@example.com", string password = WatchlogApp.DefaultPassword, string firstName = "Ann")
    {
        var page = await GetAsync("signup");
        var home = await SubmitAsync(page, "form[action=account]", fields: new Dictionary<string, string>
        {
            ["first_name"] = firstName, ["email"] = email, ["password"] = password,
        });
        Assert.Equal("/", Last!.RequestMessage!.RequestUri!.AbsolutePath);
        return home;
    }

    public static string? Flash(IDocument page) => page.QuerySelector(".flash")?.TextContent.Trim();

    public static string Path(HttpResponseMessage response) => response.RequestMessage!.RequestUri!.PathAndQuery;
}
