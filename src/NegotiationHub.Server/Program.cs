using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Hosting;
using NegotiationHub.Server.Audit;
using NegotiationHub.Server.Agreements;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Calculators;
using NegotiationHub.Server.Persistence;
using NegotiationHub.Server.Realtime;
using NegotiationHub.Server.Sessions;

if (args is [AuditCommand.Name, ..])
{
    return await AuditCommand.RunAsync(args, Console.Out, Console.Error);
}

if (args is ["health-check", var healthUrl])
{
    // For container health checks: the runtime image has no curl.
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    try
    {
        return (await http.GetAsync(new Uri(healthUrl))).IsSuccessStatusCode ? 0 : 1;
    }
    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException)
    {
        await Console.Error.WriteLineAsync(exception.Message);
        return 1;
    }
}

var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
builder.AddNegotiationHubApi();
builder.AddNegotiationHubPersistence();
builder.AddNegotiationHubIdentity();
builder.Services.AddScoped<SessionService>();
builder.AddNegotiationHubRealtime();
builder.Services.AddSingleton<ContractService>();

var app = builder.Build();
app.UseNodeNameHeader();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseNegotiationHubApi();
app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
app.MapModelCalculators();
app.MapAccounts();
app.MapSessions();
app.MapContracts();
app.MapNegotiationHub();
app.MapAudit();
app.MapRuntimeDiagnostics();
app.MapHistory();
// The browser client uses hash routes; any other non-file path outside the API and hub gets the app.
app.MapFallbackToFile("{*path:nonfile:regex(^(?!api/|hubs/|openapi/).*$)}", "index.html");

await app.InitializeAsync(demo || app.Environment.IsDevelopment());
await app.RunAsync();
return 0;

/// <summary>The server's entry point; public so tests can host the whole app.</summary>
public partial class Program;
