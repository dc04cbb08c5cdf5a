using Microsoft.EntityFrameworkCore;
using NegotiationHub.Cluster.Tests.Harness;
using NegotiationHub.Contracts;
using NegotiationHub.Data;

namespace NegotiationHub.Cluster.Tests;

/// <summary>
/// ADR 0005 on loopback: PostgreSQL, two server processes and nginx with the deployment's routing
/// file. Sessions are spread over both nodes by their id; one node is killed (kill -9) mid-round.
/// </summary>
public sealed class TwoNodeFailoverTests
{
    private const int Rounds = 4;

    [Fact]
    public async Task A_killed_nodes_sessions_reconnect_through_nginx_to_the_other_node_resync_and_agree_with_every_acknowledged_bid()
    {
        var work = Loopback.NewFolder("nh-cluster");
        await using var postgres = await PostgresServer.StartAsync();
        var database = postgres.NewDatabase("nh_cluster");
        var settings = ServerProcess.BaseSettings(Path.Combine(work, "keys"));
        settings["Database__Provider"] = "Postgres";
        settings["Database__ConnectionString"] = database;
        var ports = Loopback.DistinctPorts(3);

        // One after the other: the first migrates the new database and creates the admin.
        await using var node1 = await ServerProcess.StartAsync("node1", ports[0], settings, work);
        await using var node2 = await ServerProcess.StartAsync("node2", ports[1], settings, work);
        await using var nginx = await NginxRouter.StartAsync(ports[2], node1.Port, node2.Port);
        var entry = nginx.BaseAddress;
        string Diagnostics() => $"{node1.LogTail()}\n{node2.LogTail()}\n--- nginx ---\n{nginx.ErrorLogTail()}";

        var accounts = await Alliance.CreateAccountsAsync(entry);
        var sessions = new List<CreatedSession>();
        while (sessions.Count < 30 && (sessions.Count(s => s.Node == node1.Name) < 2 || sessions.Count(s => s.Node == node2.Name) < 2))
        {
            sessions.Add(await Alliance.CreateSessionAsync(entry, accounts, $"Alliance {sessions.Count + 1}"));
        }

        Assert.True(sessions.Count(s => s.Node == node1.Name) >= 2 && sessions.Count(s => s.Node == node2.Name) >= 2,
            $"30 sessions did not spread over both nodes: {string.Join(", ", sessions.Select(s => s.Node))}");
        foreach (var session in sessions)
        {
            // Every request naming the session goes to the same node.
            Assert.Equal(session.Node, await Alliance.NodeServingAsync(entry, accounts.Members[0], session.Id));
        }

        // Round 1 plays out; round 2 stops after parties 0 and 1 have bid. Then node1 dies.
        var pauses = sessions.ToDictionary(s => s.Id, _ => new Pause(round: 2, afterParties: 2));
        var drivers = new List<SessionDriver>();
        try
        {
            foreach (var session in sessions)
            {
                drivers.Add(await SessionDriver.ConnectAsync(session.Id, entry, accounts, Rounds, pauses[session.Id]));
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var runs = drivers.Select(d => d.RunAsync(limit.Token)).ToList();
            await Failures.WithDiagnosticsAsync(Task.WhenAll(pauses.Values.Select(p => p.Reached.Task)).WaitAsync(TimeSpan.FromMinutes(1)), Diagnostics);
            var ackedBeforeKill = drivers.ToDictionary(d => d.SessionId, d => d.Acks.Max(a => a.Sequence));

            // The hub handshakes carried ?session= and nginx sent all five connections of a session to
            // its node: the round-1 broadcasts reached the coordinator's connection.
            var missed = drivers.Where(d => d.MissedBroadcasts > 0).Select(d => $"session {d.SessionId} ({sessions.Single(s => s.Id == d.SessionId).Node}) missed {d.MissedBroadcasts}").ToList();
            Assert.True(missed.Count == 0, $"RoundClosed broadcasts missed before the kill: {string.Join("; ", missed)}\n{Diagnostics()}");

            await node1.KillAsync();
            foreach (var pause in pauses.Values)
            {
                pause.Resume.TrySetResult();
            }

            var finals = await Failures.WithDiagnosticsAsync(Task.WhenAll(runs), Diagnostics);

            Assert.All(finals, f =>
            {
                Assert.Equal(SessionState.Agreed, f.State);
                Assert.Equal(Rounds, f.Agreement!.Round);
                Assert.Equal([25.0, 25, 25, 25], f.Agreement.Allocation.Select(x => Math.Round(x, 9)));
            });
            foreach (var driver in drivers)
            {
                var home = sessions.Single(s => s.Id == driver.SessionId).Node;
                if (home == node1.Name)
                {
                    // All five connections came back (through nginx, to node2) and the members resynced from
                    // a snapshot that holds everything acknowledged before the kill.
                    Assert.True(driver.Reconnections >= 5, $"session {driver.SessionId}: {driver.Reconnections} reconnections");
                    Assert.True(driver.Resyncs.Count >= 4, $"session {driver.SessionId}: {driver.Resyncs.Count} resync snapshots");
                    Assert.All(driver.Resyncs, s => Assert.True(s.Sequence >= ackedBeforeKill[driver.SessionId]));
                    Assert.Equal(node2.Name, await Alliance.NodeServingAsync(entry, accounts.Members[0], driver.SessionId));
                }
                else
                {
                    // The survivor's sessions never noticed.
                    Assert.Equal(0, driver.Reconnections);
                    Assert.Equal(0, driver.MissedBroadcasts);
                    Assert.Equal(node2.Name, await Alliance.NodeServingAsync(entry, accounts.Members[0], driver.SessionId));
                }
            }

            // nginx's passive health check took node1 out (max_fails reached), rather than every request finding it dead.
            Assert.Contains("upstream server temporarily disabled", await File.ReadAllTextAsync(Path.Combine(nginx.Prefix, "error.log")), StringComparison.Ordinal);

            await using var db = Store.Open(DatabaseProvider.Postgres, database);
            await Store.AssertEveryAcknowledgedBidIsStoredAsync(db, [.. drivers.SelectMany(d => d.Acks)], sessions.ToDictionary(s => s.Id, _ => Rounds));
            Assert.Equal(sessions.Count, await db.Contracts.CountAsync(c => sessions.Select(s => s.Id).Contains(c.SessionId)));
        }
        finally
        {
            foreach (var driver in drivers)
            {
                await driver.DisposeAsync();
            }

            Loopback.DeleteFolder(work);
        }
    }
}
