using System.Runtime.InteropServices;

namespace Watchlog.Data;

/// <summary>Which native SQLite library to load: the system's when it is suitable (the default), or the bundled one.</summary>
public enum SqliteLibrary { Auto, System, Bundled }

/// <summary>
/// Loads the native SQLite library once per process. The e_sqlite3 bundled by SQLitePCLRaw 2.0.6 (SQLite 3.35.5) is
/// built without <c>usleep</c>, so every sleep inside SQLite lasts a whole second: the busy handler's, and the
/// back-off of a connection retrying to start a WAL read transaction. Under concurrent load that showed as requests
/// stalled for exactly 1,000 ms a few times per benchmark run (docs/benchmarks.md). The operating system's library
/// (Debian 12: 3.40.1, built with usleep) sleeps in microseconds, so it is preferred when it is new enough (3.38+,
/// where JSON is built in) and has FTS5; otherwise the bundled library is used.
/// </summary>
public static class SqliteNative
{
    const string SystemLibrary = "libsqlite3.so.0";
    static readonly Lock Gate = new();
    static string? _loaded;

    /// <summary>What was loaded, e.g. "system libsqlite3.so.0 (SQLite 3.40.1)"; null before <see cref="Init"/>.</summary>
    public static string? Loaded => _loaded;

    /// <summary>Loads the library (only the first call decides). Throws <see cref="SettingsException"/> when <see cref="SqliteLibrary.System"/> is asked for and unusable.</summary>
    public static void Init(SqliteLibrary choice = SqliteLibrary.Auto)
    {
        lock (Gate)
        {
            if (_loaded is not null) return;
            string? refused = null;
            if (choice != SqliteLibrary.Bundled && TryLoadSystem(out var handle, out refused))
            {
                NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly,
                    (name, _, _) => name == "e_sqlite3" ? handle : IntPtr.Zero);
                SQLitePCL.Batteries_V2.Init();
                Configure();
                _loaded = $"system {SystemLibrary} (SQLite {SQLitePCL.raw.sqlite3_libversion().utf8_to_string()})";
                return;
            }
            if (choice == SqliteLibrary.System)
                throw new SettingsException($"Watchlog:Database:SqliteLibrary is 'system', but {refused}.");
            SQLitePCL.Batteries_V2.Init();
            Configure();
            _loaded = $"bundled e_sqlite3 (SQLite {SQLitePCL.raw.sqlite3_libversion().utf8_to_string()})";
        }
    }

    /// <summary>
    /// Process-wide settings, made before the first connection opens: no memory statistics (Debian's library keeps
    /// them by default, behind one global mutex that every allocation takes: under concurrent searches, threads queued
    /// on it), and multi-thread mode (no mutex per connection: a pooled connection is only ever used by one thread at
    /// a time). Both are what the bundled library is built with.
    /// </summary>
    static void Configure()
    {
        var raw = SQLitePCL.raw.sqlite3_shutdown(); // configuration is only accepted while SQLite is not initialized
        if (raw != SQLitePCL.raw.SQLITE_OK) return;
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        SQLitePCL.raw.sqlite3_initialize();
    }

    delegate int VersionNumber();
    delegate int OptionUsed([MarshalAs(UnmanagedType.LPUTF8Str)] string option);

    static bool TryLoadSystem(out IntPtr handle, out string? refused)
    {
        refused = null;
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(SystemLibrary, out handle))
        {
            handle = IntPtr.Zero;
            refused = $"{SystemLibrary} could not be loaded";
            return false;
        }
        var version = Marshal.GetDelegateForFunctionPointer<VersionNumber>(NativeLibrary.GetExport(handle, "sqlite3_libversion_number"))();
        var optionUsed = Marshal.GetDelegateForFunctionPointer<OptionUsed>(NativeLibrary.GetExport(handle, "sqlite3_compileoption_used"));
        if (version < 3_038_000) refused = $"{SystemLibrary} is SQLite {version / 1_000_000}.{version / 1000 % 1000}.{version % 1000} (3.38 or later is needed)";
        else if (optionUsed("ENABLE_FTS5") == 0) refused = $"{SystemLibrary} is built without FTS5";
        if (refused is null) return true;
        NativeLibrary.Free(handle);
        handle = IntPtr.Zero;
        return false;
    }
}
