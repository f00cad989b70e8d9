using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.Configuration;

namespace Watchlog.Tests.Accounts;

public class RegisterTests
{
    [EachDatabase]
    public async Task Registering_answers_201_with_the_normalized_user_and_never_the_hash(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);

        var response = await app.SendJsonAsync(HttpMethod.Post, "/auth/register",
            new { email = "  Ann.Example@Example.COM ", password = WatchlogApp.DefaultPassword, first_name = " Ann ", last_name = "Example" });
        var user = await WatchlogApp.ExpectAsync(response, HttpStatusCode.Created);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("ann.example@example.com", user.GetProperty("email").GetString());
        Assert.Equal("Ann", user.GetProperty("first_name").GetString());
        Assert.Equal("Example", user.GetProperty("last_name").GetString());
        Assert.Equal("UTC", user.GetProperty("time_zone").GetString());
        Assert.Equal("US", user.GetProperty("region").GetString());
        Assert.True(user.GetProperty("id").GetInt64() > 0);
        Assert.True(user.TryGetProperty("created_at", out _));
        Assert.DoesNotContain("hash", text);
        Assert.DoesNotContain("AQAAAA", text);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.StartsWith("AQAAAA", await conn.ExecuteScalarAsync<string>("SELECT password_hash FROM users")); // PBKDF2, Identity v3 format
    }

    [EachDatabase]
    public async Task The_first_user_is_admin_and_later_ones_are_not(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);

        var first = await app.RegisterAsync("first@example.com");
        var second = await app.RegisterAsync("second@example.com");

        Assert.True(first.GetProperty("is_admin").GetBoolean());
        Assert.False(second.GetProperty("is_admin").GetBoolean());
    }

    [EachDatabase]
    public async Task Simultaneous_first_sign_ups_make_exactly_one_admin(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        app.CreateClient();
        // On PostgreSQL, hold the sign-ups at the door until all eight wait on the table, then let them go together:
        // without the lock in RegisterUser each would see an empty table and become admin. SQLite's writer serializes.
        await using var gate = test.Engine == Engine.Postgres ? await HoldUsersTableAsync(test) : null;

        var registering = Enumerable.Range(1, 8).Select(i => Task.Run(() => app.RegisterAsync($"racer{i}@example.com"))).ToList();
        if (gate is not null)
        {
            await WaitForLockWaitersAsync(test, 8);
            await gate.RollbackAsync();
        }
        var users = await Task.WhenAll(registering);

        Assert.Equal(1, users.Count(u => u.GetProperty("is_admin").GetBoolean()));
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(8L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM users"));
        Assert.Equal(1L, await conn.ExecuteScalarAsync<long>(test.Dialect == Watchlog.Data.Dialect.Sqlite
            ? "SELECT count(*) FROM users WHERE is_admin = 1" : "SELECT count(*) FROM users WHERE is_admin"));
    }

    static async Task<Npgsql.NpgsqlTransaction> HoldUsersTableAsync(TestDb test)
    {
        var conn = new Npgsql.NpgsqlConnection(test.ConnectionString);
        await conn.OpenAsync();
        var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", transaction: tx);
        return tx;
    }

    static async Task WaitForLockWaitersAsync(TestDb test, int count)
    {
        await using var conn = new Npgsql.NpgsqlConnection(test.ConnectionString);
        await conn.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'users'::regclass") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sign-ups never reached the users table");
            await Task.Delay(20);
        }
    }

    [EachDatabase]
    public async Task Invalid_fields_are_a_400_naming_each_field(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);

        var response = await app.SendJsonAsync(HttpMethod.Post, "/auth/register", new { email = "not-an-email", password = "short", first_name = " " });
        var problem = await WatchlogApp.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["email", "first_name", "password"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("at least 10", errors.GetProperty("password")[0].GetString());

        foreach (var (email, why) in new[] { ("Ann <ann@example.com>", "display name"), ("ann@@example.com", "two @"), ("ann@example", "no dot"),
                     ("ann@exa mple.com", "space"), (".ann@example.com", "leading dot"), ("ann@-example.com", "label hyphen"), ("", "empty") })
        {
            var bad = await app.SendJsonAsync(HttpMethod.Post, "/auth/register", new { email, password = WatchlogApp.DefaultPassword, first_name = "Ann" });
            Assert.True((await WatchlogApp.ExpectFieldErrorAsync(bad, "email")).Length > 0, why);
        }
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [EachDatabase]
    public async Task Common_passwords_and_the_email_as_password_are_refused(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);

        foreach (var password in new[] { "password123", "QWERTYUIOP", "1q2w3e4r5t", "iloveyou123", "ann.lee@example.com", "Ann.Lee1234", "ann.lee1234" })
        {
            var email = password.StartsWith("ann.lee1", StringComparison.OrdinalIgnoreCase) ? "ann.lee1234@example.com" : "ann.lee@example.com";
            var response = await app.SendJsonAsync(HttpMethod.Post, "/auth/register", new { email, password, first_name = "Ann" });
            var messages = await WatchlogApp.ExpectFieldErrorAsync(response, "password");
            Assert.True(messages.Length == 1, password);
        }
        await app.RegisterAsync("ann.lee@example.com", "a-rather-uncommon-passphrase");
    }

    [EachDatabase]
    public async Task A_duplicate_email_is_409_whatever_its_case(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        await app.RegisterAsync("ann@example.com");

        var response = await app.SendJsonAsync(HttpMethod.Post, "/auth/register", new { email = "ANN@Example.com", password = WatchlogApp.DefaultPassword, first_name = "Other" });

        await WatchlogApp.ExpectProblemAsync(response, HttpStatusCode.Conflict);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(1L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [EachDatabase]
    public async Task A_malformed_body_is_a_400_problem_not_a_500(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var client = app.CreateClient();

        var broken = await client.PostAsync("/auth/register", new StringContent("{\"email\": \"ann@example.com\", ", Encoding.UTF8, "application/json"));
        Assert.NotEmpty(await WatchlogApp.ExpectFieldErrorAsync(broken, "body"));

        var wrongType = await client.PostAsync("/auth/register", new StringContent("{\"email\": 5, \"password\": \"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(["Expected a string."], await WatchlogApp.ExpectFieldErrorAsync(wrongType, "email"));

        var array = await client.PostAsync("/auth/register", new StringContent("[]", Encoding.UTF8, "application/json"));
        await WatchlogApp.ExpectProblemAsync(array, HttpStatusCode.BadRequest);

        var empty = await client.PostAsync("/auth/login", null);
        await WatchlogApp.ExpectProblemAsync(empty, HttpStatusCode.BadRequest);

        var form = await client.PostAsync("/auth/login", new FormUrlEncodedContent([new("email", "a@b.c"), new("password", "x")]));
        await WatchlogApp.ExpectProblemAsync(form, HttpStatusCode.UnsupportedMediaType);
    }

    [EachDatabase]
    public async Task Text_a_database_cannot_store_is_a_4xx_never_a_500(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        var client = app.CreateClient();
        Task<HttpResponseMessage> Post(string url, string json, HttpClient? with = null) =>
            (with ?? client).PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

        var cases = new (string Url, string Json, HttpClient? Client)[]
        {
            ("/auth/register", """{"email": "nul\u0000@example.com", "password": "correct horse battery", "first_name": "A\u0000"}""", null),
            ("/auth/register", """{"email": "\ud800@example.com", "password": "correct horse battery", "first_name": "\udc00"}""", null),
            ("/auth/login", """{"email": "ann\u0000@example.com", "password": "whatever"}""", null),
            ("/auth/login", """{"email": "\ud800ann@example.com", "password": "whatever"}""", null),
            ("/api/me/keys", """{"name": "key\u0000"}""", ann.Client),
            ("/api/me/keys", """{"name": "\ud800"}""", ann.Client),
            ("/auth/refresh", """{"refresh_token": "\u0000\ud800"}""", null),
        };
        foreach (var (url, json, with) in cases)
        {
            var response = await Post(url, json, with);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{url} {json}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var patch = await app.SendJsonAsync(HttpMethod.Patch, "/auth/me", null, ann.Client);
        await WatchlogApp.ExpectProblemAsync(patch, HttpStatusCode.BadRequest);
    }

    [EachDatabase]
    public async Task Closed_registration_is_403(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, s => s["Watchlog:Registration"] = "closed");

        var response = await app.SendJsonAsync(HttpMethod.Post, "/auth/register", new { email = "ann@example.com", password = WatchlogApp.DefaultPassword, first_name = "Ann" });

        await WatchlogApp.ExpectProblemAsync(response, HttpStatusCode.Forbidden);
        await app.CreateUserAsync("op@example.com", admin: true); // operators still can
    }

    [EachDatabase]
    public async Task Invite_mode_needs_a_valid_unused_unexpired_code_made_by_an_admin(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        await using var app = new WatchlogApp(test, s => s["Watchlog:Registration"] = "invite", clock);
        await app.CreateUserAsync("admin@example.com", admin: true);
        var admin = await app.SignInAsync("admin@example.com");
        var register = (string email, string? code) => app.SendJsonAsync(HttpMethod.Post, "/auth/register",
            new { email, password = WatchlogApp.DefaultPassword, first_name = "Guest", invite_code = code });

        await WatchlogApp.ExpectFieldErrorAsync(await register("guest@example.com", null), "invite_code");
        await WatchlogApp.ExpectFieldErrorAsync(await register("guest@example.com", "made-up-code"), "invite_code");

        var invitation = await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/admin/invitations", new { }, admin.Client), HttpStatusCode.Created);
        var code = invitation.GetProperty("code").GetString()!;
        Assert.Equal(clock.Now.AddDays(7).UtcDateTime, invitation.GetProperty("expires_at").GetDateTime().ToUniversalTime());
        var guest = await WatchlogApp.ExpectAsync(await register("guest@example.com", code), HttpStatusCode.Created);
        Assert.False(guest.GetProperty("is_admin").GetBoolean());
        await WatchlogApp.ExpectFieldErrorAsync(await register("second@example.com", code), "invite_code"); // one use only

        var forBob = await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/admin/invitations", new { email = "Bob@Example.com" }, admin.Client), HttpStatusCode.Created);
        Assert.Equal("bob@example.com", forBob.GetProperty("email").GetString());
        await WatchlogApp.ExpectFieldErrorAsync(await register("eve@example.com", forBob.GetProperty("code").GetString()), "invite_code");
        await WatchlogApp.ExpectAsync(await register("bob@example.com", forBob.GetProperty("code").GetString()), HttpStatusCode.Created);

        var late = await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/admin/invitations", new { }, admin.Client), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        await WatchlogApp.ExpectFieldErrorAsync(await register("late@example.com", late.GetProperty("code").GetString()), "invite_code");

        var member = await app.SignInAsync("guest@example.com");
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/admin/invitations", new { }, member.Client), HttpStatusCode.Forbidden);
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/admin/invitations", new { }), HttpStatusCode.Unauthorized);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(2L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM invitations WHERE used_by IS NOT NULL"));
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM invitations WHERE code_hash = '{code}'")); // stored hashed
    }

    [Fact]
    public void A_wrong_registration_setting_fails_with_one_clear_message()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>("Watchlog:Registration", "sometimes")]).Build();
        var e = Assert.Throws<SettingsException>(() => Watchlog.Accounts.AccountsOptions.From(config));
        Assert.Equal("Watchlog:Registration must be 'open', 'invite' or 'closed', not 'sometimes'.", e.Message);

        config = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create<string, string?>("Watchlog:Accounts:AccessTokenDays", "0")]).Build();
        Assert.Equal("Watchlog:Accounts:AccessTokenDays must be a whole number from 1 to 365, not '0'.",
            Assert.Throws<SettingsException>(() => Watchlog.Accounts.AccountsOptions.From(config)).Message);
    }

    [Fact]
    public void The_common_password_list_is_embedded_and_large()
    {
        Assert.True(Watchlog.Accounts.CommonPasswords.Count >= 300);
        Assert.Null(Watchlog.Accounts.Passwords.Problem("a-rather-uncommon-passphrase", "ann@example.com"));
    }
}
