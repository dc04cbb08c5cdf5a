using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Models;

var builder = WebApplication.CreateBuilder(args);
builder.AddNegotiationHubApi();

var app = builder.Build();
app.UseNegotiationHubApi();
app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
app.MapModelCalculators();
app.Run();

/// <summary>The server's entry point; public so tests can host the whole app.</summary>
public partial class Program;
