using System.Net;
using System.Text.Json;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Audit;

/// <summary>Three requests that answered 500 (issue 20, item 2): the contracts listing, and a page number whose offset overflowed.</summary>
public sealed class NoServerErrorTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LiveServer.Session _coordinator = null!;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Auditors_and_admins_list_the_contracts_newest_first()
    {
        var first = await AgreeAsync();
        var second = await AgreeAsync();

        foreach (var (user, password) in new[] { ("auditor", LiveServer.Password), ("admin", LiveServer.AdminPassword) })
        {
            var reader = await _server.SignInAsync(user, password);
            var response = await reader.Http.GetAsync("/api/contracts");
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user}: {(int)response.StatusCode} {body}");
            var sessions = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(c => c.GetProperty("sessionId").GetGuid()).ToList();
            Assert.Equal([second, first], sessions);
        }
    }

    [Theory]
    [InlineData("coordinator", "/api/sessions?page=2147483647")]
    [InlineData("coordinator", "/api/sessions?page=2147483647&pageSize=100")]
    [InlineData("coordinator", "/api/sessions?page=-2147483648&pageSize=2147483647")]
    [InlineData("admin", "/api/users?page=2147483647&pageSize=200")]
    [InlineData("admin", "/api/users?page=1073741824&pageSize=2")]
    [InlineData("coordinator", "/api/sessions?page=2147483647&pageSize=1")]
    public async Task A_page_far_past_the_last_is_empty_not_an_error(string user, string path)
    {
        var reader = user == "admin" ? await _server.SignInAsync("admin", LiveServer.AdminPassword) : _coordinator;

        var response = await reader.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var page = JsonDocument.Parse(body).RootElement;
        if (!path.Contains("page=-", StringComparison.Ordinal))
        {
            Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        }
    }

    /// <summary>A session driven to agreement in one round (K = 100, demands 25 each: the NBS).</summary>
    private async Task<Guid> AgreeAsync()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        await chair.Client.OpenRoundAsync(id, 60);
        foreach (var name in Negotiations.MemberNames)
        {
            var member = await (await _server.SignInAsync(name)).ConnectAsync();
            await member.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 25 });
        }

        await chair.WaitForAsync<AgreementReached>();
        _server.Clock.Advance(TimeSpan.FromSeconds(1)); // a later agreement time for the next one
        return id;
    }
}
