using System.Collections.Concurrent;
using System.Diagnostics;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Live;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Infrastructure;

/// <summary>OpenTelemetry: <c>/metrics</c> as Prometheus text, and a bid's path as one trace.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task After_a_bid_the_metrics_endpoint_shows_the_live_sessions_counters_and_the_hosts_own()
    {
        await using var server = LiveServer.Start();
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        var chair = await coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(id, 60);
        var gov = await (await server.SignInAsync("gov")).ConnectAsync();
        await gov.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 40 });

        // The loopback scraper needs no sign-in (the test server and client share 127.0.0.1).
        var text = await server.Anonymous().GetStringAsync("/metrics");

        // Other tests' servers in this process count on meters of the same name: at least ours.
        Assert.True(Sample(text, "negotiationhub_live_messages_total", "type=\"BidAccepted\"") >= 1, text);
        Assert.True(Sample(text, "negotiationhub_live_messages_total", "type=\"RoundOpened\"") >= 1, text);
        Assert.True(Sample(text, "negotiationhub_live_commits_total", "") >= 2, text);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("kestrel_", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sum of every sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>,
    /// or -1: servers sharing this process each add a series of the same name and labels, ours among them.
    /// </summary>
    private static double Sample(string text, string metric, string label)
    {
        var sum = -1.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && (line.Length == metric.Length || line[metric.Length] is '{' or ' ') && line.Contains(label, StringComparison.Ordinal))
            {
                var rest = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[metric.Length..];
                var value = rest.Trim().Split(' ')[0];
                sum = Math.Max(sum, 0) + double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    [Fact]
    public async Task A_bids_hub_call_decision_commit_and_broadcast_are_one_trace()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // As the server's OpenTelemetry set-up does: our source, and Orleans' own, which carry the trace into the grain.
            ShouldListenTo = source => source.Name == LiveTelemetry.SourceName || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = LiveServer.Start();
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        var chair = await coordinator.ConnectAsync();
        await chair.Client.OpenRoundAsync(id, 60);
        var gov = await (await server.SignInAsync("gov")).ConnectAsync();

        await gov.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 40 });

        var ours = activities.Where(a => (string?)a.GetTagItem("negotiationhub.session_id") == id.ToString("D")).ToList();
        var call = Assert.Single(ours, a => a.DisplayName == "hub SubmitBid");
        var trace = ours.Where(a => a.TraceId == call.TraceId).Select(a => a.DisplayName).ToList();
        Assert.Contains("live SubmitBid", trace);
        Assert.Contains("live commit", trace);
        Assert.Contains("live broadcast", trace);
        Assert.Equal(ActivityKind.Server, call.Kind);
    }
}
