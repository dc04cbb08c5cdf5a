using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NegotiationHub.Data;

namespace NegotiationHub.Server.Hosting;

/// <summary>
/// <c>/health</c>: the process answers (liveness; no check runs). <c>/health/ready</c>: the
/// database is reachable and every migration is applied (readiness; 503 otherwise). ASP.NET
/// Core's health checks and EF Core's own DbContext check.
/// </summary>
public static class HealthSetup
{
    private const string Ready = "ready";

    public static IHostApplicationBuilder AddNegotiationHubHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<NegotiationDbContext>("database", tags: [Ready])
            .AddCheck<MigrationsAppliedCheck>("migrations", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapNegotiationHubHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) }).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// <c>NegotiationHub.Server health-check URL</c>: exit code 0 when the URL answers with success,
    /// for container health checks (the runtime image has no curl).
    /// </summary>
    public static async Task<int> ProbeAsync(string url, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await http.GetAsync(new Uri(url))).IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await error.WriteLineAsync(exception.Message);
            return 1;
        }
    }
}

/// <summary>Unhealthy while the database lacks a migration this build has (the server migrates at start; another node may not have).</summary>
public sealed class MigrationsAppliedCheck(NegotiationDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("Every migration is applied.")
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}");
    }
}
