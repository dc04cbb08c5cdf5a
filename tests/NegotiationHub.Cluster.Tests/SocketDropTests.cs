using System.Collections.Concurrent;
using NegotiationHub.Client;
using NegotiationHub.Cluster.Tests.Harness;
using NegotiationHub.Contracts;

namespace NegotiationHub.Cluster.Tests;

/// <summary>A member's network fails (its socket is reset, then connections are refused for a while) while the session goes on.</summary>
public sealed class SocketDropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_whose_socket_is_cut_retries_with_backoff_then_resyncs_what_it_missed_and_bids_again()
    {
        var work = Loopback.NewFolder("nh-drop");
        var settings = ServerProcess.BaseSettings(Path.Combine(work, "keys"));
        settings["Database__SqlitePath"] = Path.Combine(work, "negotiation.db");
        await using var server = await ServerProcess.StartAsync("solo", Loopback.FreePort(), settings, work);
        await using var proxy = new CuttingProxy(server.Port);
        var clients = new List<NegotiationHubClient>();
        try
        {
            var accounts = await Alliance.CreateAccountsAsync(server.BaseAddress);
            var id = (await Alliance.CreateSessionAsync(server.BaseAddress, accounts, "Flaky network")).Id;

            // gov (party 0) is behind the proxy; everyone else talks to the server directly.
            var gov = await Hubs.JoinAsync(proxy.BaseAddress, id, accounts.Members[0]);
            clients.Add(gov);
            var reconnecting = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var resynced = new TaskCompletionSource<SessionSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            var closed = new ConcurrentQueue<RoundClosed>();
            gov.Reconnecting += e => Task.FromResult(reconnecting.TrySetResult(e));
            gov.Reconnected += _ => Task.FromResult(reconnected.TrySetResult());
            gov.OnSessionSnapshot(s => Task.FromResult(resynced.TrySetResult(s)));
            gov.OnRoundClosed(m =>
            {
                closed.Enqueue(m);
                return Task.CompletedTask;
            });
            var coordinator = await Hubs.JoinAsync(server.BaseAddress, id, accounts.Coordinator);
            clients.Add(coordinator);
            var others = new List<NegotiationHubClient>();
            foreach (var member in accounts.Members.Skip(1))
            {
                others.Add(await Hubs.JoinAsync(server.BaseAddress, id, member));
            }

            clients.AddRange(others);
            await coordinator.OpenRoundAsync(id, 3600);

            proxy.Refusing = true;
            proxy.CutAll();
            await reconnecting.Task.WaitAsync(Wait);

            // While gov is away, ent and uni bid: gov misses their BidAccepted broadcasts.
            var acks = new List<BidAck>();
            foreach (var member in others.Take(2))
            {
                acks.Add(await member.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 }));
            }

            // gov keeps trying (with backoff) and is refused, until the network is back.
            using (var refusals = new CancellationTokenSource(Wait))
            {
                while (proxy.Refused < 2)
                {
                    await Task.Delay(20, refusals.Token);
                }
            }

            Assert.False(reconnected.Task.IsCompleted);
            proxy.Refusing = false;
            await reconnected.Task.WaitAsync(Wait);

            // The rejoin's snapshot has what gov missed, and its sequence baseline is the server's.
            var snapshot = await resynced.Task.WaitAsync(Wait);
            Assert.Equal([1, 2], snapshot.CurrentRound!.Bids.Select(b => b.PartyIndex).Order());
            Assert.Equal(acks.Max(a => a.Sequence), snapshot.Sequence);
            Assert.Equal(snapshot.Sequence, gov.LastSequence(id));

            // Back in the room: gov bids through the proxy, inn completes the round, gov sees it close.
            var own = await gov.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 });
            Assert.False(own.Duplicate);
            await others[2].SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 });
            using var closing = new CancellationTokenSource(Wait);
            while (closed.IsEmpty)
            {
                await Task.Delay(20, closing.Token);
            }

            Assert.Equal(1, Assert.Single(closed).Analysis.Round);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Loopback.DeleteFolder(work);
        }
    }
}
