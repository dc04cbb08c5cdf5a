using NegotiationHub.Server.Accounts;
using NegotiationHub.Server.Agreements;
using NegotiationHub.Server.Audit;
using NegotiationHub.Server.Calculators;
using NegotiationHub.Server.Hosting;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Persistence;
using NegotiationHub.Server.Realtime;
using NegotiationHub.Server.Sessions;

switch (args)
{
    case [AuditCommand.Name, ..]:
        return await AuditCommand.RunAsync(args, Console.Out, Console.Error);
    case ["health-check", var url]:
        return await HealthSetup.ProbeAsync(url, Console.Error);
}

var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
builder.AddNegotiationHubApi();
builder.AddNegotiationHubPersistence();
builder.AddNegotiationHubHealth();
builder.AddNegotiationHubTelemetry();
builder.AddNegotiationHubIdentity();
builder.AddNegotiationHubSessions();
builder.AddNegotiationHubAgreements();
builder.AddNegotiationHubRealtime();

var app = builder.Build();
app.UseNegotiationHubProxies();
app.UseSecurityHeaders();
app.UseNodeNameHeader();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseNegotiationHubApi();
app.MapNegotiationHubMetrics();
app.MapNegotiationHubHealth();
app.MapModelCalculators();
app.MapAccounts();
app.MapAccountAdmin();
app.MapSessions();
app.MapContracts();
app.MapNegotiationHub();
app.MapAudit();
app.MapHistory();
app.MapRuntimeDiagnostics();
// The browser client uses hash routes; any other non-file path outside the API and hub gets the app.
app.MapFallbackToFile("{*path:nonfile:regex(^(?!api/|hubs/|openapi/|health|metrics).*$)}", "index.html");

await app.InitializeAsync(demo || app.Environment.IsDevelopment());
await app.RunAsync();
return 0;

/// <summary>The server's entry point; public so tests can host the whole app.</summary>
public partial class Program;
