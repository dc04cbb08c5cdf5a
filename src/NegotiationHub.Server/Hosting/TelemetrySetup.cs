using NegotiationHub.Data;
using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Live;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NegotiationHub.Server.Hosting;

/// <summary>
/// OpenTelemetry: metrics (ASP.NET Core, Kestrel, SignalR's connections, the runtime, EF Core, the
/// live sessions and the SQLite write queue), readable without a collector as Prometheus text at
/// <c>/metrics</c> (admins, or from the machine itself); and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set, both over OTLP with traces (a hub call → the grain's decision → commit → broadcast, one trace).
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The meters read out, beyond the instrumentation libraries' own.</summary>
    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.EntityFrameworkCore",
        LiveTelemetry.MeterName,
        SqliteWriteGate.MeterName,
    ];

    public static IHostApplicationBuilder AddNegotiationHubTelemetry(this IHostApplicationBuilder builder)
    {
        var node = builder.Configuration["Node:Name"];
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("negotiationhub", serviceInstanceId: string.IsNullOrWhiteSpace(node) ? null : node))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(Meters)
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Traces only where they go somewhere: recording every bid's activities costs the hot path.
            telemetry
                .WithTracing(t => t
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource(LiveTelemetry.SourceName)
                    // Orleans carries the trace into the grain (AddActivityPropagation) with activities of its own.
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary><c>/metrics</c>, Prometheus text: for administrators, or for a scraper on the machine itself (anyone else: 403). After authentication.</summary>
    public static WebApplication MapNegotiationHubMetrics(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == MetricsPath && !MayReadMetrics(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next();
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private const string MetricsPath = "/metrics";

    private static bool MayReadMetrics(HttpContext context) =>
        (context.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address))
        || context.User.IsInRole(Roles.Admin);
}
