using System.Diagnostics.Tracing;
using System.Globalization;

namespace NegotiationHub.Benchmarks;

/// <summary>
/// Where a live-session write's allocations go: <c>dotnet run -c Release --project
/// tests/NegotiationHub.Benchmarks -- --allocations [rounds]</c> runs the live-session benchmark's
/// rounds with an <see cref="EventListener"/> on the runtime's allocation ticks (one sample per
/// ~100 KB allocated) and prints the allocated types by sampled share, and the bytes per write.
/// </summary>
internal static class AllocationProfile
{
    public static void Run(int rounds)
    {
        var benchmark = new LiveSessionBenchmarks();
        benchmark.Setup();
        for (var i = 0; i < 200; i++)
        {
            benchmark.Round().GetAwaiter().GetResult(); // warm up: JIT, pools, caches
        }

        using var listener = new TickListener();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < rounds; i++)
        {
            benchmark.Round().GetAwaiter().GetResult();
        }

        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        listener.Dispose();
        benchmark.Cleanup();
        var writes = rounds * 5;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{writes} writes, {bytes / 1024.0 / writes:F1} KB allocated per write; sampled types (share of samples):"));
        var total = listener.Samples.Values.Sum();
        foreach (var (type, count) in listener.Samples.OrderByDescending(p => p.Value).Take(40))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / total,6:F1}%  {type}"));
        }
    }

    private sealed class TickListener : EventListener
    {
        public Dictionary<string, long> Samples { get; } = [];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick is verbose
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
            {
                return;
            }

            var index = eventData.PayloadNames!.IndexOf("TypeName");
            var type = index >= 0 ? eventData.Payload[index] as string ?? "?" : "?";
            lock (Samples)
            {
                Samples[type] = Samples.GetValueOrDefault(type) + 1;
            }
        }
    }
}
