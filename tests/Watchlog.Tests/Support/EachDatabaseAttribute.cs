using Xunit.Abstractions;
using Xunit.Sdk;

namespace Watchlog.Tests.Support;

public enum Engine { Sqlite, Postgres }

/// <summary>
/// A test that runs once per database engine, given the <see cref="Engine"/> as its only argument. SQLite always runs;
/// PostgreSQL runs when WATCHLOG_TEST_POSTGRES holds a connection string (./test.sh sets one up) and otherwise shows
/// as skipped, so a missing engine is visible, never silently absent.
/// </summary>
[XunitTestCaseDiscoverer("Watchlog.Tests.Support.EachDatabaseDiscoverer", "Watchlog.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class EachDatabaseAttribute : FactAttribute;

public sealed class EachDatabaseDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        var display = options.MethodDisplayOrDefault();
        var displayOptions = options.MethodDisplayOptionsOrDefault();
        yield return new XunitTestCase(sink, display, displayOptions, method, [Engine.Sqlite]);
        yield return Postgres(sink, options, method, [Engine.Postgres]);
    }

    /// <summary>The PostgreSQL case: run when WATCHLOG_TEST_POSTGRES is set, else shown as skipped with the reason.</summary>
    internal static IXunitTestCase Postgres(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, object[]? args)
    {
        var display = options.MethodDisplayOrDefault();
        var displayOptions = options.MethodDisplayOptionsOrDefault();
        return TestEnv.PostgresConnectionString is null
            ? new XunitSkippedDataRowTestCase(sink, display, displayOptions, method, "PostgreSQL not configured: set WATCHLOG_TEST_POSTGRES (./test.sh does)", args)
            : new XunitTestCase(sink, display, displayOptions, method, args);
    }
}

/// <summary>A test for PostgreSQL only (a feature that exists only there: the clustered scheduler, search buckets); skipped, visibly, without it.</summary>
[XunitTestCaseDiscoverer("Watchlog.Tests.Support.PostgresOnlyDiscoverer", "Watchlog.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresOnlyAttribute : FactAttribute;

public sealed class PostgresOnlyDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        yield return EachDatabaseDiscoverer.Postgres(sink, options, method, null);
    }
}

public static class TestEnv
{
    public static string? PostgresConnectionString { get; } =
        Environment.GetEnvironmentVariable("WATCHLOG_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static string SharedDir { get; } = FindShared();

    static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared");
            if (File.Exists(Path.Combine(dir.FullName, "Watchlog.slnx"))) return Path.GetFullPath(candidate);
        }
        return Path.GetFullPath("../shared");
    }

    /// <summary>A file or folder under ../shared/datasets, or null when the datasets are not beside the repository.</summary>
    public static string? Dataset(string relative)
    {
        var path = Path.Combine(SharedDir, "datasets", relative);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }
}
