using System.Globalization;
using System.Threading.RateLimiting;
using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Calculators;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>Limits on the public calculators, bound from <c>RateLimits:Models</c>.</summary>
public sealed class ModelRateLimitOptions
{
    /// <summary>Requests allowed per client address per window.</summary>
    public int PermitLimit { get; set; } = 300;

    /// <summary>The window length in seconds.</summary>
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int SignInPermitLimit { get; set; } = 30;
}

/// <summary>The HTTP API's cross-cutting setup: JSON, problem details, rate limits, OpenAPI.</summary>
public static class ApiSetup
{
    /// <summary>Largest request body accepted, in bytes (the calculators' inputs are small).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Registers the API's services.</summary>
    public static IHostApplicationBuilder AddNegotiationHubApi(this IHostApplicationBuilder builder)
    {
        builder.AddNegotiationHubProxies();
        builder.Services.ConfigureHttpJsonOptions(o => JsonSetup.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.AddServerHeader = false; // no "Server: Kestrel" for a scanner to key on (issue 20)
        });

        var limits = builder.Configuration.GetSection("RateLimits:Models").Get<ModelRateLimitOptions>() ?? new ModelRateLimitOptions();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(ModelCalculatorsApi.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit,
                    Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                    QueueLimit = 0,
                }));
            options.AddPolicy(Accounts.AccountsApi.AccountRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInPermitLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await TypedResults.Problem(
                        title: "Too many requests.",
                        detail: $"The calculators allow {limits.PermitLimit} requests per {limits.WindowSeconds} s per client; try again shortly.",
                        statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>Adds the API's middleware.</summary>
    public static WebApplication UseNegotiationHubApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCrossSiteRequestRefusal();
        app.UseAuthentication();
        app.UseTwoFactorRequirement();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi();
        return app;
    }
}
