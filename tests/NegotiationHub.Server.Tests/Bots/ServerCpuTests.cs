using System.Diagnostics;
using NegotiationHub.Bots.Load;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>The load table's "server CPU ms/bid": reading a process's CPU time from <c>/proc/PID/stat</c>.</summary>
public sealed class ServerCpuTests
{
    [Fact]
    public void Parse_adds_utime_and_stime_counting_fields_after_the_last_parenthesis()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
        // A command name may hold spaces and ')' itself.
        const string line = "4242 (odd ) name) S 1 4242 4242 0 -1 4194560 900 0 3 0 1234 66 7 8 20 0 31 0 100 2000000 5000 18446744073709551615";

        Assert.Equal(13.0, ServerCpu.Parse(line));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 no parentheses S 1 2 3")]
    [InlineData("4242 (short) S 1 2 3 4 5 6 7 8 9")]
    [InlineData("4242 (bad) S 1 4242 4242 0 -1 4194560 900 0 3 0 12x4 66 7")]
    public void Parse_refuses_a_malformed_line(string line) => Assert.Null(ServerCpu.Parse(line));

    [Fact]
    public void Seconds_of_this_process_follow_the_runtimes_own_processor_time()
    {
        var self = Environment.ProcessId;
        var before = Reading(self);
        var spin = Stopwatch.StartNew();
        while (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - before.Runtime < 0.5 && spin.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.SpinWait(10_000);
        }

        var after = Reading(self);
        var runtime = after.Runtime - before.Runtime;

        Assert.True(runtime >= 0.5, $"the spin used only {runtime:F2} s of CPU");
        // Both count every thread of the process, and each reading pairs them within 20 ms of the
        // process's CPU (other tests run alongside on two cores; a thread descheduled between two
        // unpaired reads let them drift apart by a second).
        Assert.InRange(after.Stat - before.Stat, runtime - 0.1, runtime + 0.1);
    }

    /// <summary>/proc's figure and the runtime's, read back to back: retried until the runtime's two reads around /proc's are within 20 ms.</summary>
    private static (double Stat, double Runtime) Reading(int pid)
    {
        for (var attempt = 0; ; attempt++)
        {
            var first = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var stat = ServerCpu.Seconds(pid);
            var second = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            Assert.NotNull(stat);
            if (second - first < 0.02 || attempt == 200)
            {
                return (stat.Value, (first + second) / 2);
            }
        }
    }

    [Fact]
    public void Seconds_of_no_process_is_null() => Assert.Null(ServerCpu.Seconds(null));

    [Fact]
    public void The_table_row_reports_server_cpu_per_acknowledged_bid()
    {
        var report = new LoadReport
        {
            Hub = "negotiation", Sessions = 10, Parties = 4, Connections = 41, Rounds = 200, Bids = 800, BidsPerSecond = 40,
            P50 = 1, P95 = 2, P99 = 3, LostBids = 0, DuplicatedBids = 0, RefusedBids = 0, Agreed = 10, ServerCpuSeconds = 2.0,
        };

        Assert.Equal(2.5, report.CpuMillisecondsPerBid);
        Assert.EndsWith("| n/a | n/a | 2.50 | n/a | n/a | n/a | n/a |", report.MarkdownRow(), StringComparison.Ordinal);
        Assert.EndsWith("| 2.50 | 12.5 | n/a | n/a | n/a |", (report with { ServerAllocatedBytes = 12_500 * report.Bids }).MarkdownRow(), StringComparison.Ordinal);
        Assert.EndsWith("| 2.50 | n/a | 703 | n/a | n/a |", (report with { ServerGcPauseMilliseconds = 702.6 }).MarkdownRow(), StringComparison.Ordinal);
        Assert.EndsWith("| 2.50 | n/a | n/a | 58 | n/a |", (report with { ServerJitMilliseconds = 57.5 }).MarkdownRow(), StringComparison.Ordinal);
        Assert.EndsWith("| 2.50 | n/a | n/a | n/a | 341 |", (report with { DriverGcPauseMilliseconds = 341.4 }).MarkdownRow(), StringComparison.Ordinal);
        Assert.Equal(LoadReport.MarkdownHeader.Split('\n')[0].Count(c => c == '|'), report.MarkdownRow().Count(c => c == '|'));
        Assert.Null((report with { ServerCpuSeconds = null }).CpuMillisecondsPerBid);
        Assert.Null((report with { Bids = 0 }).CpuMillisecondsPerBid);
    }
}
