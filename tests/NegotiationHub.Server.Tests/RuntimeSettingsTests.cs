using System.Text.Json;

namespace NegotiationHub.Server.Tests;

/// <summary>The server's runtime settings as built (ADR 0011), read from its runtimeconfig.json.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_server_runs_with_concurrent_workstation_gc()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "NegotiationHub.Server.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(options.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(options.GetProperty("System.GC.Concurrent").GetBoolean());
    }
}
