using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace NegotiationHub.Benchmarks;

/// <summary>The whole server hosted in a benchmark's process, on a SQLite file in a folder of its own.</summary>
internal static class BenchmarkHost
{
    /// <summary>
    /// Starts the server (Production, warnings only) with <paramref name="settings"/>. The host's
    /// content root is an empty folder: the benchmark may run from anywhere, so not the
    /// solution-relative default. The database lies outside it: the configuration's file watcher
    /// would see every write to a file under it.
    /// </summary>
    public static WebApplicationFactory<global::Program> Create(string folder, IReadOnlyDictionary<string, string> settings)
    {
        var root = Directory.CreateDirectory(Path.Combine(folder, "content")).FullName;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_NEGOTIATIONHUB_SERVER", root);
        return new WebApplicationFactory<global::Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Database:Provider", "Sqlite");
            b.UseSetting("Database:SqlitePath", Path.Combine(folder, "bench.db"));
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
    }
}
