using System.Net;
using System.Text.Json;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Infrastructure;

/// <summary><c>GET /api/diagnostics/runtime</c>, which the load driver reads for the server's allocated bytes per bid.</summary>
public sealed class RuntimeDiagnosticsTests
{
    [Fact]
    public async Task Admins_read_the_managed_allocation_pause_and_jit_counters_and_no_one_else_does()
    {
        await using var server = LiveServer.Start();
        await Negotiations.CreateUsersAsync(server);
        var admin = await server.SignInAsync("admin", LiveServer.AdminPassword);

        var first = JsonDocument.Parse(await admin.Http.GetStringAsync("/api/diagnostics/runtime")).RootElement;
        var buffers = Enumerable.Range(0, 100).Select(_ => new byte[100_000]).ToList(); // ≥ 10 MB in this very process (the test host is the server)
        var second = JsonDocument.Parse(await admin.Http.GetStringAsync("/api/diagnostics/runtime")).RootElement;

        Assert.True(second.GetProperty("allocatedBytes").GetInt64() - first.GetProperty("allocatedBytes").GetInt64() >= buffers.Sum(b => b.Length));
        Assert.True(second.GetProperty("gen0Collections").GetInt32() >= first.GetProperty("gen0Collections").GetInt32());
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true); // a full blocking collection stands the process still
        var third = JsonDocument.Parse(await admin.Http.GetStringAsync("/api/diagnostics/runtime")).RootElement;
        Assert.True(third.GetProperty("gcPauseMilliseconds").GetDouble() > second.GetProperty("gcPauseMilliseconds").GetDouble());
        Assert.True(third.GetProperty("gen2Collections").GetInt32() > second.GetProperty("gen2Collections").GetInt32());

        // A method never seen before (a fresh dynamic method) is compiled in this very process.
        var fresh = System.Linq.Expressions.Expression.Lambda<Func<int>>(System.Linq.Expressions.Expression.Constant(Random.Shared.Next())).Compile(preferInterpretation: false);
        _ = fresh();
        var fourth = JsonDocument.Parse(await admin.Http.GetStringAsync("/api/diagnostics/runtime")).RootElement;
        Assert.True(fourth.GetProperty("jitCompiledMethods").GetInt64() > third.GetProperty("jitCompiledMethods").GetInt64());
        Assert.True(fourth.GetProperty("jitMilliseconds").GetDouble() >= third.GetProperty("jitMilliseconds").GetDouble());
        Assert.True(fourth.GetProperty("jitMilliseconds").GetDouble() > 0);
        var member = await server.SignInAsync("gov");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync("/api/diagnostics/runtime")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous().GetAsync("/api/diagnostics/runtime")).StatusCode);
    }
}
