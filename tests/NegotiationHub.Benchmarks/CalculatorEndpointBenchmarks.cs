using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Server.Calculators;

namespace NegotiationHub.Benchmarks;

/// <summary>
/// What <c>POST /api/models/nash</c> costs on the server beyond the solve (issue 19, item 4), in
/// one run: the solve alone; the endpoint's own work (read the JSON, validate, solve, write the
/// JSON); and the whole ASP.NET Core pipeline (routing, rate limiting, authentication, the
/// endpoint) driven in-process by <see cref="TestServer"/> — no socket, so no Kestrel parsing and
/// no client on the measured path. The problem is the engine benchmark's (n = 4, non-linear).
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class CalculatorEndpointBenchmarks
{
    private const string Body = """{"pool":1000,"powers":[0.31,0.27,0.24,0.18],"utilities":[{"kind":"power","alpha":0.6},{"kind":"log","scale":250},{"kind":"exponential","rho":0.002},{"kind":"linear"}],"disagreement":[50,80,30,20]}""";
    private static readonly byte[] BodyBytes = Encoding.UTF8.GetBytes(Body);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"nh-bench-{Guid.NewGuid():N}");
    private WebApplicationFactory<global::Program> _factory = null!;
    private TestServer _server = null!;
    private JsonSerializerOptions _json = null!;
    private NashBargainingProblem _problem = null!;
    private Microsoft.AspNetCore.Builder.WebApplication? _bare;

    [GlobalSetup]
    public void Setup()
    {
        _factory = BenchmarkHost.Create(_folder, new Dictionary<string, string> { ["RateLimits:Models:PermitLimit"] = "1000000000" });
        _server = _factory.Server;
        var bare = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        bare.WebHost.UseTestServer();
        bare.Logging.ClearProviders();
        _bare = bare.Build();
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(_bare, "/bare", (HttpContext c) => c.Response.WriteAsync("{}"));
        _bare.StartAsync().GetAwaiter().GetResult();
        _json = _factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        _problem = JsonSerializer.Deserialize<BargainingProblemRequest>(Body, _json)!.ToProblem();
        if (Pipeline().GetAwaiter().GetResult() != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException("the endpoint did not answer 200");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _factory.Dispose();
        _bare?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "NBS solve alone")]
    public NashBargainingSolution Solve() => NashBargainingSolver.Solve(_problem);

    [Benchmark(Description = "endpoint work: read JSON, validate, solve, write JSON")]
    public int EndpointWork()
    {
        var request = JsonSerializer.Deserialize<BargainingProblemRequest>(BodyBytes, _json)!;
        var response = NashResponse.Solve(request.ToProblem());
        return JsonSerializer.SerializeToUtf8Bytes(response, _json).Length;
    }

    [Benchmark(Description = "POST to a bare ASP.NET Core app (TestServer, one endpoint writing {}): the framework's floor")]
    public async Task<int> Floor()
    {
        var context = await _bare!.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = "/bare";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(BodyBytes, writable: false);
        });
        return context.Response.StatusCode;
    }

    [Benchmark(Description = "POST /api/models/nash through the whole pipeline (TestServer)")]
    public async Task<int> Pipeline()
    {
        var context = await _server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = "/api/models/nash";
            c.Request.ContentType = "application/json";
            c.Request.Headers.Origin = "http://localhost";
            c.Request.Body = new MemoryStream(BodyBytes, writable: false);
        });
        return context.Response.StatusCode;
    }
}
