using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bots.Load;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>
/// The load driver in a small, fast configuration against a real server: what it must never see
/// (lost or duplicated bids) and what every run must reach (agreement). No timing is asserted.
/// </summary>
public sealed class LoadSmokeTests
{
    [Fact]
    public async Task Three_sessions_of_four_bots_reach_agreement_with_no_lost_or_duplicated_bid()
    {
        await using var server = LiveServer.Start();
        var report = await LoadDriver.RunAsync(Options(server, echo: false));

        Assert.Equal(3, report.Agreed);
        Assert.Equal(0, report.LostBids);
        Assert.Equal(0, report.DuplicatedBids);
        Assert.Equal(0, report.RefusedBids);
        Assert.Equal(12 + 1, report.Connections); // 12 members and one coordinator connection
        Assert.Equal(report.Rounds * 4, report.Bids); // every party bid in every round
        Assert.True(report.Rounds >= 3 * 2);
        Assert.InRange(report.DriverGcPauseMilliseconds ?? -1, 0, double.MaxValue); // the driver's own pauses, measured
        Assert.InRange(report.ServerGcPauseMilliseconds ?? -1, 0, double.MaxValue); // and the server's (read at /api/diagnostics/runtime)
    }

    [Fact]
    public async Task A_run_waits_for_the_servers_jit_to_go_quiet_before_bidding_and_reports_its_compiling_meanwhile()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Hub:EnableEchoHub"] = "true" });
        var lines = new List<string>();
        var report = await LoadDriver.RunAsync(Options(server, echo: true) with { MaxRounds = 2, JitQuiet = TimeSpan.FromMilliseconds(300), Log = lines.Add });

        // The test host is the server, and this test's own threads keep compiling: quiet or not, the wait ends and says which.
        var said = Assert.Single(lines, l => l.Contains("the server's JIT", StringComparison.Ordinal));
        Assert.Matches(@"^echo: the server's JIT (went quiet|was still compiling) after \d+\.\d s \(\d+ methods", said);
        Assert.True(lines.IndexOf(said) < lines.FindIndex(l => l.EndsWith("bidding", StringComparison.Ordinal)));
        Assert.InRange(report.ServerJitMilliseconds ?? -1, 0, double.MaxValue); // measured over the bidding
        Assert.Equal(3 * 2 * 4, report.Bids);

        // And after the bidding, the server's collections meanwhile (read at /api/diagnostics/runtime).
        var collections = Assert.Single(lines, l => l.Contains("the server collected", StringComparison.Ordinal));
        Assert.Matches(@"^echo: the server collected \d+ times while the bots bid \(generation 1: \d+, 2: \d+\), \d+ ms paused in all, \d+\.\d ms each$", collections);
        Assert.True(lines.IndexOf(collections) > lines.FindIndex(l => l.EndsWith("bidding", StringComparison.Ordinal)));

        lines.Clear();
        await LoadDriver.RunAsync(Options(server, echo: true) with { MaxRounds = 1, Log = lines.Add });
        Assert.DoesNotContain(lines, l => l.Contains("the server's JIT", StringComparison.Ordinal)); // zero (the default): no wait
    }

    [Fact]
    public async Task Warm_up_sessions_run_first_to_agreement_and_are_left_out_of_the_report()
    {
        await using var server = LiveServer.Start();
        var report = await LoadDriver.RunAsync(Options(server, echo: false) with { Sessions = 2, WarmupSessions = 1 });

        Assert.Equal(2, report.Sessions);
        Assert.Equal(2, report.Agreed);
        Assert.Equal(8 + 1, report.Connections);
        Assert.Equal(0, report.LostBids);
        Assert.Equal(report.Rounds * 4, report.Bids);
        await using var db = server.Database();
        Assert.Equal(3, await db.Contracts.CountAsync()); // the warm-up's session agreed too
    }

    [Fact]
    public async Task The_echo_floor_echoes_every_bid_to_its_whole_group_once()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Hub:EnableEchoHub"] = "true" });
        var report = await LoadDriver.RunAsync(Options(server, echo: true) with { MaxRounds = 5 });

        Assert.Equal(0, report.LostBids);
        Assert.Equal(0, report.DuplicatedBids);
        Assert.Equal(3 * 5, report.Rounds);
        Assert.Equal(3 * 5 * 4, report.Bids);
        Assert.InRange(report.DriverGcPauseMilliseconds ?? -1, 0, double.MaxValue);
        Assert.InRange(report.ServerGcPauseMilliseconds ?? -1, 0, double.MaxValue);
    }

    [Fact]
    public async Task Pairs_run_the_negotiation_and_then_the_echo_in_turn_on_one_server()
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Hub:EnableEchoHub"] = "true" });
        var seen = new List<string>();
        var reports = await LoadDriver.RunPairsAsync(
            Options(server, echo: false) with { Sessions = 2 },
            Options(server, echo: true) with { Sessions = 2, MaxRounds = 3 },
            pairs: 2,
            report => seen.Add(report.Hub));

        Assert.Equal(["negotiation", "echo", "negotiation", "echo"], reports.Select(r => r.Hub));
        Assert.Equal(reports.Select(r => r.Hub), seen); // each as it completed
        Assert.All(reports, r => Assert.Equal(0, r.LostBids + r.DuplicatedBids));
        Assert.All(reports.Where(r => r.Hub == "negotiation"), r => Assert.Equal(2, r.Agreed));
        Assert.All(reports.Where(r => r.Hub == "echo"), r => Assert.Equal(2 * 3 * 4, r.Bids));
        Assert.Equal(2, LoadPairs.Ratios(reports).Count);
        await using var db = server.Database();
        Assert.Equal(4, await db.Contracts.CountAsync()); // both negotiation runs ran their own sessions to agreement
    }

    [Fact]
    public async Task Pairs_refuse_options_of_the_wrong_hub()
    {
        var options = new LoadOptions { Server = new Uri("http://127.0.0.1:1"), AdminPassword = "x" };
        await Assert.ThrowsAsync<ArgumentException>(() => LoadDriver.RunPairsAsync(options with { Echo = true }, options with { Echo = true }, 1));
        await Assert.ThrowsAsync<ArgumentException>(() => LoadDriver.RunPairsAsync(options, options, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LoadDriver.RunPairsAsync(options, options with { Echo = true }, 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_echo_hub_is_mapped_only_when_configured(bool enabled)
    {
        await using var server = LiveServer.Start(settings: new Dictionary<string, string?> { ["Hub:EnableEchoHub"] = enabled ? "true" : "false" });
        var admin = await server.SignInAsync("admin", LiveServer.AdminPassword);
        using var response = await admin.Http.PostAsync(new Uri("/hubs/echo/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(enabled, response.IsSuccessStatusCode);
    }

    private static LoadOptions Options(LiveServer server, bool echo) => new()
    {
        Server = server.BaseAddress,
        Sessions = 3,
        Parties = 4,
        BidInterval = TimeSpan.FromMilliseconds(20),
        MaxRounds = 40,
        Lambda = 0.5,
        Echo = echo,
        AdminUser = "admin",
        AdminPassword = LiveServer.AdminPassword,
        Timeout = TimeSpan.FromSeconds(90),
    };
}
