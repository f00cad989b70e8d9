using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Watchlog.Accounts;

namespace Watchlog.Tests.Support;

/// <summary>A signed-in user: their tokens and a client that sends the access token.</summary>
public sealed record SignedIn(long UserId, string Email, string Password, string AccessToken, string RefreshToken, HttpClient Client);

/// <summary>Account intents for HTTP tests of every feature.</summary>
public sealed partial class WatchlogApp
{
    /// <summary>Passes the password rules (10+ characters, not common, not the email).</summary>
    public const string DefaultPassword = "correct horse battery staple";

    /// <summary>POST /auth/register and expect 201; returns the user.</summary>
    public async Task<JsonElement> RegisterAsync(string email, string password = DefaultPassword, string firstName = "Ann", string lastName = "Example", string? inviteCode = null)
    {
        var response = await SendJsonAsync(HttpMethod.Post, "/auth/register",
            new { email, password, first_name = firstName, last_name = lastName, invite_code = inviteCode });
        return await ExpectAsync(response, HttpStatusCode.Created);
    }

    /// <summary>POST /auth/login and expect 200; returns the whole token answer.</summary>
    public async Task<JsonElement> LoginAsync(string email, string password = DefaultPassword, string? ip = null)
    {
        var response = await SendJsonAsync(HttpMethod.Post, "/auth/login", new { email, password }, ip: ip);
        return await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Registers (the first user becomes admin) and signs in.</summary>
    public async Task<SignedIn> SignUpAsync(string email = "ann@example.com", string password = DefaultPassword, string firstName = "Ann")
    {
        var user = await RegisterAsync(email, password, firstName);
        return await SignInAsync(user.GetProperty("email").GetString()!, password);
    }

    public async Task<SignedIn> SignInAsync(string email, string password = DefaultPassword)
    {
        var tokens = await LoginAsync(email, password);
        var access = tokens.GetProperty("access_token").GetString()!;
        return new SignedIn(tokens.GetProperty("user").GetProperty("id").GetInt64(), email, password, access,
            tokens.GetProperty("refresh_token").GetString()!, ClientWithToken(access));
    }

    /// <summary>Creates an account as an operator would (no invitation needed), e.g. the admin of an invite-only server.</summary>
    public async Task<User> CreateUserAsync(string email, bool admin = false, string password = DefaultPassword)
    {
        var outcome = await Services.GetRequiredService<RegisterUser>().RunAsync(
            new RegisterRequest { Email = email, Password = password, FirstName = "Op" }, byOperator: true, admin, CancellationToken.None);
        return Assert.IsType<RegisterOutcome.Created>(outcome).User;
    }

    public HttpClient ClientWithToken(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public HttpClient ClientWithApiKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Sends <paramref name="body"/> as JSON; <paramref name="ip"/> arrives as the client address (X-Forwarded-For).</summary>
    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string url, object? body, HttpClient? client = null, string? ip = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (ip is not null) request.Headers.Add("X-Forwarded-For", ip);
        return await (client ?? CreateClient()).SendAsync(request);
    }

    /// <summary>Asserts the status (showing the body when it differs) and parses the body (null JSON when empty).</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with that status; returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await ExpectAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The messages of a 400's <c>errors</c> for one field (asserting it is there).</summary>
    public static async Task<string[]> ExpectFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var messages = default(JsonElement);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out messages),
            $"expected errors.{field} in {problem}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }
}
