using NegotiationHub.Cluster.Tests.Harness;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using Xunit.Abstractions;

namespace NegotiationHub.Cluster.Tests;

/// <summary>PRODUCT "done": kill -9 the server, restart it, and the sessions resume with every acknowledged bid.</summary>
public sealed class CrashRestartTests(ITestOutputHelper output)
{
    private const int Sessions = 6;
    private const int Rounds = 6;

    [Fact]
    public async Task A_server_killed_under_load_and_restarted_on_its_SQLite_file_keeps_every_acknowledged_bid_and_its_sessions_agree()
    {
        var work = Loopback.NewFolder("nh-crash");
        var databasePath = Path.Combine(work, "negotiation.db");
        var settings = ServerProcess.BaseSettings(Path.Combine(work, "keys"));
        settings["Database__SqlitePath"] = databasePath;
        var port = Loopback.FreePort();
        var server = await ServerProcess.StartAsync("solo", port, settings, work);
        ServerProcess? restarted = null;
        var drivers = new List<SessionDriver>();
        try
        {
            var accounts = await Alliance.CreateAccountsAsync(server.BaseAddress);
            for (var i = 0; i < Sessions; i++)
            {
                var session = await Alliance.CreateSessionAsync(server.BaseAddress, accounts, $"Alliance {i + 1}");
                drivers.Add(await SessionDriver.ConnectAsync(session.Id, server.BaseAddress, accounts, Rounds));
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var runs = drivers.Select(d => d.RunAsync(limit.Token)).ToList();

            // Kill while every session is bidding: about two rounds in, with bids in flight.
            var killAt = Sessions * 4 * 2;
            using (var loaded = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
            {
                while (drivers.Sum(d => d.Acks.Count) < killAt)
                {
                    Assert.DoesNotContain(runs, r => r.IsFaulted);
                    await Task.Delay(10, loaded.Token);
                }
            }

            await server.KillAsync();
            var ackedBeforeKill = drivers.Sum(d => d.Acks.Count);
            output.WriteLine($"killed after {ackedBeforeKill} acknowledgements");
            restarted = await ServerProcess.StartAsync("solo", port, settings, work);
            var finals = await Failures.WithDiagnosticsAsync(Task.WhenAll(runs), () => server.LogTail() + "\n" + restarted.LogTail());

            Assert.All(finals, f => Assert.Equal(SessionState.Agreed, f.State));
            Assert.All(finals, f => Assert.Equal(Rounds, f.Agreement!.Round));
            // Every connection noticed the crash and came back to the restarted server.
            Assert.All(drivers, d => Assert.True(d.Reconnections >= 5, $"session {d.SessionId}: {d.Reconnections} reconnections"));
            Assert.True(ackedBeforeKill < Sessions * Rounds * 4, "the sessions had finished before the kill");
            output.WriteLine($"{drivers.Sum(d => d.Acks.Count)} acknowledgements in all ({drivers.Sum(d => d.Acks.Count(a => a.Duplicate))} of resent bids), {drivers.Sum(d => d.Reconnections)} reconnections");

            await using var db = Store.Open(DatabaseProvider.Sqlite, DatabaseSetup.SqliteConnectionString(databasePath));
            await Store.AssertEveryAcknowledgedBidIsStoredAsync(db, [.. drivers.SelectMany(d => d.Acks)], drivers.ToDictionary(d => d.SessionId, _ => Rounds));
        }
        finally
        {
            foreach (var driver in drivers)
            {
                await driver.DisposeAsync();
            }

            await server.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Loopback.DeleteFolder(work);
        }
    }
}
