using BenchmarkDotNet.Running;

namespace NegotiationHub.Benchmarks;

/// <summary>The benchmarks' entry point (named apart from the server's <c>Program</c>, which the live-session benchmark hosts).</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args is ["--allocations", ..])
        {
            AllocationProfile.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
