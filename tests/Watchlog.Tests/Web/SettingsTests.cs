using Microsoft.Extensions.Configuration;

namespace Watchlog.Tests.Web;

public class SettingsTests
{
    static WatchlogSettings Read(params (string Key, string Value)[] values) =>
        WatchlogSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void Defaults_to_sqlite_in_the_data_folder_with_the_starter_catalog()
    {
        var s = Read();
        Assert.Equal(Watchlog.Data.Dialect.Sqlite, s.Provider);
        Assert.Equal(Path.GetFullPath("data"), s.DataDir);
        Assert.Contains(Path.Combine(Path.GetFullPath("data"), "watchlog.db"), s.ConnectionString);
        Assert.True(s.StarterCatalog);
        Assert.Equal("", s.BasePath);
        Assert.Equal(Watchlog.Data.SqliteLibrary.Auto, s.SqliteLibrary);
    }

    [Theory]
    [InlineData("Watchlog:Database:Provider", "mysql", "Watchlog:Database:Provider must be 'sqlite' or 'postgres', not 'mysql'.")]
    [InlineData("Watchlog:StarterCatalog", "yes", "Watchlog:StarterCatalog must be true or false, not 'yes'.")]
    [InlineData("Watchlog:BasePath", "watchlog", "Watchlog:BasePath must be a path that starts with '/', like '/watchlog', not 'watchlog'.")]
    [InlineData("Watchlog:Jobs:Enabled", "2", "Watchlog:Jobs:Enabled must be true or false, not '2'.")]
    [InlineData("Watchlog:Database:SqliteLibrary", "custom", "Watchlog:Database:SqliteLibrary must be 'auto', 'system' or 'bundled', not 'custom'.")]
    public void A_wrong_setting_fails_with_one_clear_message(string key, string value, string message)
    {
        var e = Assert.Throws<SettingsException>(() => Read((key, value)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Postgres_needs_a_valid_connection_string()
    {
        Assert.StartsWith("Watchlog:Database:ConnectionString is required", Assert.Throws<SettingsException>(() => Read(("Watchlog:Database:Provider", "postgres"))).Message);
        Assert.StartsWith("Watchlog:Database:ConnectionString is not a valid PostgreSQL",
            Assert.Throws<SettingsException>(() => Read(("Watchlog:Database:Provider", "postgres"), ("Watchlog:Database:ConnectionString", "Hots=x;Nonsense"))).Message);
    }

    [Fact]
    public async Task The_executable_refuses_to_start_on_a_wrong_setting_with_one_line()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        psi.Environment["Watchlog__Database__Provider"] = "oracle";
        psi.Environment["Watchlog__DataDir"] = Path.Combine(Path.GetTempPath(), "watchlog-never-created");
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("watchlog: Watchlog:Database:Provider must be 'sqlite' or 'postgres', not 'oracle'.", stderr.Trim());
    }

    [Fact]
    public void Forwarded_headers_are_trusted_from_loopback_and_the_listed_proxies_only()
    {
        var s = Read(("Watchlog:KnownProxies", "10.0.0.5; 172.16.0.0/12"));
        Assert.Contains(s.KnownProxies, n => n.Contains(System.Net.IPAddress.Parse("10.0.0.5")));
        Assert.Contains(s.KnownProxies, n => n.Contains(System.Net.IPAddress.Parse("172.20.1.1")));
        Assert.Contains(s.KnownProxies, n => n.Contains(System.Net.IPAddress.Loopback));
        Assert.DoesNotContain(Read().KnownProxies, n => n.Contains(System.Net.IPAddress.Parse("203.0.113.9")));
        Assert.Equal("Watchlog:KnownProxies must list IP addresses or networks like 10.0.0.0/8, not 'proxy.local'.",
            Assert.Throws<SettingsException>(() => Read(("Watchlog:KnownProxies", "proxy.local"))).Message);
    }
}
