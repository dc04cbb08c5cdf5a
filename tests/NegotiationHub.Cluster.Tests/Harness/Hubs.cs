using NegotiationHub.Client;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>Hub clients as the tests open them: signed in by cookie, quick to reconnect; any node serves any session.</summary>
internal static class Hubs
{
    public static NegotiationHubClient Client(Uri entry, Account account) => new(new NegotiationHubClientOptions
    {
        ServerUri = entry,
        WebSocket = { Cookies = account.Cookies },
        ReconnectPolicy = new JitteredBackoffRetryPolicy(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2)),
    });

    /// <summary>Connects and joins the session.</summary>
    public static async Task<NegotiationHubClient> JoinAsync(Uri entry, Guid sessionId, Account account)
    {
        var client = Client(entry, account);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.StartAsync(limit.Token);
        await client.JoinSessionAsync(sessionId, limit.Token);
        return client;
    }
}
