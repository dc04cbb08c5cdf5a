using NegotiationHub.Cluster.Tests.Harness;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using Xunit.Abstractions;

namespace NegotiationHub.Cluster.Tests;

/// <summary>
/// ADR 0019, the cluster changing under load: three node slots behind nginx, two nodes running.
/// While sessions bid, one node is stopped gracefully (SIGTERM) and a third joins; sessions set up
/// after it joined are served by it too. Nothing is lost: every acknowledged bid is stored, every
/// session agrees and no round is closed twice.
/// </summary>
public sealed class ThreeNodeChurnTests(ITestOutputHelper output)
{
    private const int Rounds = 6;

    [Fact]
    public async Task A_node_stopped_gracefully_and_a_node_added_under_load_lose_no_bid()
    {
        await using var cluster = await LoopbackCluster.StartAsync("churn");
        var node1 = await cluster.StartNodeAsync("node1");
        var node2 = await cluster.StartNodeAsync("node2");
        // node3's slot is in nginx from the start; until it runs, nginx finds it refusing and skips it.
        var node3Port = Loopback.FreePort();
        await using var nginx = await NginxRouter.StartAsync(Loopback.FreePort(), node1.Port, node2.Port, node3Port);
        ServerProcess? node3 = null;
        var entry = nginx.BaseAddress;
        var database = cluster.Database;
        string Diagnostics() => cluster.Diagnostics(nginx);

        var accounts = await Alliance.CreateAccountsAsync(entry);
        var drivers = new List<SessionDriver>();
        try
        {
            // Batch A: bids flow while node1 stops and node3 starts.
            var batchA = new List<CreatedSession>();
            for (var i = 0; i < 6; i++)
            {
                batchA.Add(await Alliance.CreateSessionAsync(entry, accounts, $"Alliance A{i + 1}"));
            }

            var pauses = batchA.ToDictionary(s => s.Id, _ => new Pause(round: 3, afterParties: 2));
            foreach (var session in batchA)
            {
                drivers.Add(await SessionDriver.ConnectAsync(session.Id, entry, accounts, Rounds, pauses[session.Id]));
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var runs = drivers.Select(d => d.RunAsync(limit.Token)).ToList();
            await Failures.WithDiagnosticsAsync(Task.WhenAll(pauses.Values.Select(p => p.Reached.Task)).WaitAsync(TimeSpan.FromMinutes(1)), Diagnostics);

            // Let them go and, with their bids in flight, stop node1 gracefully and start node3.
            foreach (var pause in pauses.Values)
            {
                pause.Resume.TrySetResult();
            }

            var stopping = node1.StopAsync();
            node3 = await cluster.StartNodeAsync("node3", node3Port);
            await stopping;

            // Batch B: set up and played after the change, on node2 and node3.
            var batchB = new List<CreatedSession>();
            for (var i = 0; i < 4; i++)
            {
                batchB.Add(await Alliance.CreateSessionAsync(entry, accounts, $"Alliance B{i + 1}"));
            }

            foreach (var session in batchB)
            {
                var driver = await SessionDriver.ConnectAsync(session.Id, entry, accounts, Rounds);
                drivers.Add(driver);
                runs.Add(driver.RunAsync(limit.Token));
            }

            var finals = await Failures.WithDiagnosticsAsync(Task.WhenAll(runs), Diagnostics);
            Assert.All(finals, f => Assert.Equal(SessionState.Agreed, f.State));

            // The new node serves: requests through nginx reach it (and never the stopped one).
            var servedBy = new HashSet<string?>();
            for (var i = 0; i < 9; i++)
            {
                servedBy.Add(await Alliance.NodeServingAsync(entry, accounts.Members[0], batchB[0].Id));
            }

            Assert.Contains(node3.Name, servedBy);
            Assert.DoesNotContain(node1.Name, servedBy);

            var sessions = batchA.Concat(batchB).ToList();
            await using var db = Store.Open(DatabaseProvider.Postgres, database);
            await Store.AssertEveryAcknowledgedBidIsStoredAsync(db, [.. drivers.SelectMany(d => d.Acks)], sessions.ToDictionary(s => s.Id, _ => Rounds));
            await Store.AssertEachRoundClosedOnceAsync(db, sessions.Select(s => s.Id), Rounds);

            output.WriteLine($"{sessions.Count} sessions agreed across the change; {drivers.Sum(d => d.Reconnections)} reconnections; {drivers.Sum(d => d.Acks.Count)} acknowledgements, all stored");
        }
        finally
        {
            foreach (var driver in drivers)
            {
                await driver.DisposeAsync();
            }
        }
    }
}
