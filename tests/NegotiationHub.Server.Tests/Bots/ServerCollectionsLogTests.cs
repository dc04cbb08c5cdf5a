using NegotiationHub.Bots.Load;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>The load driver's line on the server's garbage collections during the bidding, on counts worked by hand.</summary>
public sealed class ServerCollectionsLogTests
{
    [Fact]
    public void Says_how_many_collections_of_each_generation_ran_and_how_long_each_paused_on_average()
    {
        var before = new ServerRuntime(1_000, 250.0, 10, 5.0, Gen0Collections: 40, Gen1Collections: 6, Gen2Collections: 1);
        var after = new ServerRuntime(9_000, 425.0, 12, 6.0, Gen0Collections: 60, Gen1Collections: 9, Gen2Collections: 1);
        var lines = new List<string>();

        LoadDriver.LogCollections("negotiation", before, after, lines.Add);

        // 20 collections (gen0 counts every one), 3 of generation 1, none of 2; 175 ms over 20 = 8.75 ms.
        var line = Assert.Single(lines);
        Assert.Equal("negotiation: the server collected 20 times while the bots bid (generation 1: 3, 2: 0), 175 ms paused in all, 8.8 ms each", line);
    }

    [Fact]
    public void No_collection_is_no_pause_each()
    {
        var reading = new ServerRuntime(1_000, 80.0, 10, 5.0, Gen0Collections: 7, Gen1Collections: 2, Gen2Collections: 0);
        var lines = new List<string>();

        LoadDriver.LogCollections("echo", reading, reading, lines.Add);

        Assert.Equal("echo: the server collected 0 times while the bots bid (generation 1: 0, 2: 0), 0 ms paused in all, 0.0 ms each", Assert.Single(lines));
    }

    [Fact]
    public void Nothing_is_said_when_the_server_could_not_be_read()
    {
        var reading = new ServerRuntime(1_000, 80.0, 10, 5.0);
        var lines = new List<string>();

        LoadDriver.LogCollections("echo", null, reading, lines.Add);
        LoadDriver.LogCollections("echo", reading, null, lines.Add);

        Assert.Empty(lines);
    }
}
