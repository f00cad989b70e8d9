using System.Collections.Concurrent;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Accounts;

/// <summary>
/// <c>last_used_at</c> of sessions and API keys is bookkeeping ("this key was used a minute ago"), so authenticating
/// must not wait for it: a request only notes the time here, and the notes are written in batches every few seconds
/// (and when the server stops), outside every request. Writing it inline made each first use of a token in a minute
/// a second write on the request's path, queued behind the check-ins on SQLite's single writer.
/// A crash loses at most the last few seconds of notes; lists of keys write pending notes before they read.
/// </summary>
public sealed class LastUsed(Db db, ILogger<LastUsed> log) : BackgroundService
{
    /// <summary>A credential whose stored time is this recent isn't noted again.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(5);
    const int RowsPerWrite = 500;   // keeps each write short, so requests queued behind it don't wait long

    readonly ConcurrentDictionary<long, DateTime> _sessions = new();
    readonly ConcurrentDictionary<long, DateTime> _apiKeys = new();
    readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Notes a use at <paramref name="now"/> when the stored time is older than <see cref="Resolution"/>.</summary>
    public void Session(long id, DateTime? stored, DateTime now) => Note(_sessions, id, stored, now);

    public void ApiKey(long id, DateTime? stored, DateTime now) => Note(_apiKeys, id, stored, now);

    static void Note(ConcurrentDictionary<long, DateTime> pending, long id, DateTime? stored, DateTime now)
    {
        if (stored is { } at && now - at < Resolution) return;
        pending.AddOrUpdate(id, now, (_, old) => now > old ? now : old);
    }

    /// <summary>Writes every pending note.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            await WriteAsync("sessions", _sessions, ct);
            await WriteAsync("api_keys", _apiKeys, ct);
        }
        finally { _flushing.Release(); }
    }

    async Task WriteAsync(string table, ConcurrentDictionary<long, DateTime> pending, CancellationToken ct)
    {
        var taken = new List<(long Id, DateTime At)>();
        foreach (var id in pending.Keys)
            if (pending.TryRemove(id, out var at)) taken.Add((id, at));
        taken.Sort();   // the same order on every node: two nodes' batches can't deadlock on PostgreSQL
        foreach (var chunk in taken.Chunk(RowsPerWrite))
        {
            try
            {
                // Never moves a time backwards (another node may have written a later one).
                await db.WriteAsync((conn, tx) => conn.ExecuteAsync(
                    $"UPDATE {table} SET last_used_at = @At WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @At)",
                    chunk.Select(r => new { r.Id, r.At }), tx), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                foreach (var (id, at) in chunk) pending.AddOrUpdate(id, at, (_, old) => at > old ? at : old);   // next time
                throw;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await FlushAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Could not record when sessions and API keys were last used; retrying in {Seconds} s", FlushEvery.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await FlushAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not record when sessions and API keys were last used before stopping");
        }
    }
}
