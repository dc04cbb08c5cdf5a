using NegotiationHub.Server.Accounts;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// The process's managed-memory counters, for the load driver's allocated-bytes-per-bid and
/// server-GC-pause figures: bytes allocated so far, collections by generation, the heap's size, and
/// how long the process has stood still in garbage collections so far (<c>GC.GetTotalPauseDuration</c>), ms;
/// and the methods the JIT has compiled so far and the time it took (<c>JitInfo</c>), which the driver
/// watches to start measuring only once the server's tiered compilation has gone quiet.
/// </summary>
public sealed record RuntimeCounters(
    long AllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections, long HeapBytes, double GcPauseMilliseconds,
    long JitCompiledMethods, double JitMilliseconds);

/// <summary><c>GET /api/diagnostics/runtime</c>: admins only, read-only.</summary>
public static class RuntimeDiagnostics
{
    public static RuntimeCounters Read() => new(
        GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalMemory(forceFullCollection: false),
        GC.GetTotalPauseDuration().TotalMilliseconds,
        System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds);

    public static IEndpointRouteBuilder MapRuntimeDiagnostics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/diagnostics/runtime", () => TypedResults.Ok(Read()))
            .WithTags("Diagnostics")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return routes;
    }
}
