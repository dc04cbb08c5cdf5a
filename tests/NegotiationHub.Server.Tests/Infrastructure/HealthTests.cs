using System.Net;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Infrastructure;

/// <summary><c>/health</c> (liveness) and <c>/health/ready</c> (database reachable, every migration applied), anonymous as a load balancer calls them.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task A_started_server_is_live_and_ready()
    {
        await using var server = LiveServer.Start();
        using var http = server.Anonymous();

        var live = await http.GetAsync("/health");
        var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_database_that_lacks_a_migration_is_not_ready_but_the_process_is_live()
    {
        await using var server = LiveServer.Start();
        await using (var db = server.Database())
        {
            // As a database another node has not migrated yet would be.
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '20261206000000_BidSequence'"));
        }

        using var http = server.Anonymous();
        var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
