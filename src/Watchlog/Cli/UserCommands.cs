using System.CommandLine;
using Spectre.Console;
using Watchlog.Accounts;
using Watchlog.Data;

namespace Watchlog.Cli;

/// <summary><c>user create --email … [--admin] [--first-name …] [--last-name …] [--password … | --password-stdin]</c>, <c>user reset-password --email … [--password …]</c>.</summary>
static class UserCommands
{
    public static Command Create(CliContext cli)
    {
        var user = new Command("user", "Manage user accounts (works whatever Watchlog:Registration says).");
        user.Subcommands.Add(CreateUser(cli));
        user.Subcommands.Add(ResetPassword(cli));
        return user;
    }

    static Command CreateUser(CliContext cli)
    {
        var email = new Option<string>("--email") { Description = "The account's email address.", Required = true };
        var password = new Option<string?>("--password") { Description = "The password (else it is asked for)." };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var admin = new Option<bool>("--admin") { Description = "Make the user an administrator (the first user always is)." };
        var first = new Option<string?>("--first-name") { Description = "First name (default: the part of the email before '@')." };
        var last = new Option<string?>("--last-name") { Description = "Last name." };
        var create = new Command("create", "Create an account.") { email, password, fromStdin, admin, first, last };
        create.SetAction(async (pr, ct) =>
        {
            var code = 0;
            var rc = await DataCommands.RunAsync(cli, async services =>
            {
                var address = pr.GetValue(email)!;
                var secret = pr.GetValue(password) ?? ReadPassword(cli, pr.GetValue(fromStdin));
                if (secret is null) { code = 1; return; }
                var request = new RegisterRequest
                {
                    Email = address,
                    Password = secret,
                    FirstName = pr.GetValue(first) ?? address.Split('@')[0],
                    LastName = pr.GetValue(last),
                };
                switch (await services.GetRequiredService<RegisterUser>().RunAsync(request, byOperator: true, admin: pr.GetValue(admin), ct))
                {
                    case RegisterOutcome.Created created:
                        var u = created.User;
                        cli.Console.MarkupLine($"Created user [bold]{u.Id}[/] {Markup.Escape(u.Email)} ({Markup.Escape($"{u.FirstName} {u.LastName}".Trim())})" +
                                               (u.IsAdmin ? ", administrator" : "") + ".");
                        break;
                    case RegisterOutcome.Invalid invalid:
                        cli.Error(invalid.Errors.ToString());
                        code = 1;
                        break;
                    default:
                        cli.Error($"An account with the email address {address} already exists.");
                        code = 1;
                        break;
                }
            });
            return rc != 0 ? rc : code;
        });
        return create;
    }

    static Command ResetPassword(CliContext cli)
    {
        var email = new Option<string>("--email") { Description = "The account's email address.", Required = true };
        var password = new Option<string?>("--password") { Description = "The new password (default: generate a strong one and print it)." };
        var reset = new Command("reset-password", "Set a new password and sign the user out everywhere.") { email, password };
        reset.SetAction(async (pr, ct) =>
        {
            var code = 0;
            var rc = await DataCommands.RunAsync(cli, async services =>
            {
                var address = AccountRules.EmailKey(pr.GetValue(email));
                var user = await services.GetRequiredService<UserStore>().FindByEmailAsync(address, ct);
                if (user is null)
                {
                    cli.Error($"There is no account with the email address {address}.");
                    code = 1;
                    return;
                }
                var given = pr.GetValue(password);
                var secret = given ?? Tokens.NewPassword();
                if (given is not null && Passwords.Problem(given, user.Email) is { } problem)
                {
                    cli.Error($"password: {problem}");
                    code = 1;
                    return;
                }
                var hash = services.GetRequiredService<Passwords>().Hash(secret);
                var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
                await services.GetRequiredService<Db>().WriteAsync((conn, tx) => ManageAccount.SetPasswordAsync(conn, tx, user.Id, hash, null, now), ct);
                cli.Console.MarkupLine($"Password changed for {Markup.Escape(user.Email)}; every session was signed out.");
                if (given is null) cli.Console.WriteLine($"New password: {secret}");
            });
            return rc != 0 ? rc : code;
        });
        return reset;
    }

    static string? ReadPassword(CliContext cli, bool fromStdin)
    {
        if (fromStdin)
        {
            if (Console.In.ReadLine() is { Length: > 0 } line) return line;
            cli.Error("Standard input held no password.");
            return null;
        }
        if (cli.Console.Profile.Capabilities.Interactive)
        {
            var first = cli.Console.Prompt(new TextPrompt<string>("Password:").Secret());
            var again = cli.Console.Prompt(new TextPrompt<string>("Password again:").Secret());
            if (first == again) return first;
            cli.Error("The passwords don't match.");
            return null;
        }
        cli.Error("Give the password with --password, or on standard input with --password-stdin.");
        return null;
    }
}
