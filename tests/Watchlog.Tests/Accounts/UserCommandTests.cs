using System.Net;
using System.Text.RegularExpressions;
using Dapper;

namespace Watchlog.Tests.Accounts;

public class UserCommandTests
{
    static Task<(int Code, string Output)> RunAsync(TestDb test, params string[] args) => CliRunner.RunAsync(test, args);

    [EachDatabase]
    public async Task User_create_makes_an_account_that_can_sign_in(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using (var app = new WatchlogApp(test)) await app.RegisterAsync("first@example.com");

        var (code, output) = await RunAsync(test, "user", "create", "--email", "Op@Example.com", "--admin", "--first-name", "Olga", "--last-name", "Operator",
            "--password", WatchlogApp.DefaultPassword);

        Assert.True(code == 0, output);
        Assert.Contains("op@example.com (Olga Operator), administrator", output);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.True(await conn.ExecuteScalarAsync<bool>("SELECT is_admin FROM users WHERE email = 'op@example.com'"));
        await using var again = new WatchlogApp(test);
        await again.LoginAsync("op@example.com");

        (code, output) = await RunAsync(test, "user", "create", "--email", "plain@example.com", "--password", WatchlogApp.DefaultPassword);
        Assert.Equal(0, code);
        Assert.DoesNotContain("administrator", output);
        Assert.Contains("(plain)", output);
    }

    [EachDatabase]
    public async Task User_create_refuses_a_taken_email_or_a_weak_password(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        Assert.Equal(0, (await RunAsync(test, "user", "create", "--email", "op@example.com", "--password", WatchlogApp.DefaultPassword)).Code);

        var (code, output) = await RunAsync(test, "user", "create", "--email", "OP@example.com", "--password", WatchlogApp.DefaultPassword);
        Assert.Equal(1, code);
        Assert.Contains("already exists", output);

        (code, output) = await RunAsync(test, "user", "create", "--email", "new@example.com", "--password", "qwertyuiop");
        Assert.Equal(1, code);
        Assert.Contains("password:", output);

        (code, output) = await RunAsync(test, "user", "create", "--email", "new@example.com");
        Assert.Equal(1, code);
        Assert.Contains("--password", output);
    }

    [EachDatabase]
    public async Task Reset_password_prints_a_generated_password_and_signs_the_user_out(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");

        var (code, output) = await RunAsync(test, "user", "reset-password", "--email", "Ann@example.com");

        Assert.True(code == 0, output);
        var password = Regex.Match(output, "New password: (\\S+)").Groups[1].Value;
        Assert.Equal(20, password.Length);
        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com", password = ann.Password }), HttpStatusCode.Unauthorized);
        await app.LoginAsync("ann@example.com", password);

        (code, output) = await RunAsync(test, "user", "reset-password", "--email", "ann@example.com", "--password", "chosen by the operator");
        Assert.Equal(0, code);
        Assert.DoesNotContain("New password", output);
        await app.LoginAsync("ann@example.com", "chosen by the operator");

        (code, output) = await RunAsync(test, "user", "reset-password", "--email", "nobody@example.com");
        Assert.Equal(1, code);
        Assert.Contains("no account", output);
    }
}
