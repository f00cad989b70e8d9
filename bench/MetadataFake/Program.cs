using System.Globalization;
using Watchlog.Tests.Metadata;

// metadata-fake PORT SEASONS EPISODES_PER_SEASON CAST CREW: serves until stdin closes or the process is killed.
if (args.Length != 5 || args.Any(a => !int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
{
    Console.Error.WriteLine("usage: metadata-fake PORT SEASONS EPISODES_PER_SEASON CAST CREW");
    return 2;
}
var n = args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
await using var fake = await FakeProvider.StartAsync(n[0]);
fake.Seasons = n[1];
fake.EpisodesPerSeason = n[2];
fake.Cast = n[3];
fake.Crew = n[4];
Console.WriteLine($"fake provider at {fake.BaseUrl}: {fake.Seasons} seasons x {fake.EpisodesPerSeason} episodes, {fake.Cast + fake.Crew + 1} credits per series");
// The web host inside takes SIGTERM for itself (to stop gracefully); the program ends on it too.
var stop = new TaskCompletionSource();
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => stop.TrySetResult());
using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, _ => stop.TrySetResult());
await stop.Task;
return 0;
