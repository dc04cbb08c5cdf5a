using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Audit;

/// <summary>
/// Issue 20, items 5 and 7, over a real server: sealed demands stay sealed to everyone until the
/// round closes, and cookie-carrying writes from another site or another port are refused. Both
/// fail on the commit before this one.
/// </summary>
public sealed class SealedAndCrossSiteTests : IAsyncLifetime
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
    public async Task Nobody_reads_an_open_sealed_rounds_demands_in_the_history_or_an_export_until_it_closes()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator, "sealed");
        await using var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var gov = await _server.SignInAsync("gov");
        await using var member = await gov.ConnectAsync();
        await member.Client.JoinSessionAsync(id);
        await chair.Client.OpenRoundAsync(id, 60);
        await member.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 47.5 });
        var auditor = await _server.SignInAsync("auditor");
        var admin = await _server.SignInAsync("admin", LiveServer.AdminPassword);

        foreach (var reader in new[] { _coordinator, auditor, admin })
        {
            var history = await reader.Http.GetStringAsync($"/api/sessions/{id}/history");
            Assert.DoesNotContain("47.5", history, StringComparison.Ordinal);
            var round = JsonDocument.Parse(history).RootElement.GetProperty("rounds")[0];
            Assert.Empty(round.GetProperty("bids").EnumerateArray());
            foreach (var format in new[] { "json", "csv" })
            {
                var export = await reader.Http.GetAsync($"/api/sessions/{id}/export?format={format}");
                Assert.Equal(HttpStatusCode.Conflict, export.StatusCode);
                Assert.DoesNotContain("47.5", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        // Closed by the coordinator: now the demand is part of the record for those who may read it.
        await chair.Client.CloseRoundAsync(id);
        var after = await auditor.Http.GetStringAsync($"/api/sessions/{id}/history");
        Assert.Contains("47.5", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await auditor.Http.GetAsync($"/api/sessions/{id}/export?format=json")).StatusCode);
    }

    [Theory]
    [InlineData("http://evil.example", null)]
    [InlineData("http://127.0.0.1:1", null)]          // another port of the same host: "same site"
    [InlineData(null, "same-site")]
    [InlineData(null, "cross-site")]
    public async Task A_cookie_carrying_write_from_another_site_or_port_is_refused_and_writes_nothing(string? origin, string? fetchSite)
    {
        var id = await CreateDraftAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{id}/open");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        var response = await _coordinator.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = _server.Database();
        Assert.Equal(SessionState.Draft, (await db.Sessions.SingleAsync(s => s.Id == id)).State);
    }

    [Fact]
    public async Task The_same_write_from_the_sites_own_page_is_accepted()
    {
        var id = await CreateDraftAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{id}/open");
        request.Headers.Add("Origin", _server.BaseAddress.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        var response = await _coordinator.Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<Guid> CreateDraftAsync()
    {
        var created = await _coordinator.Http.PostAsync("/api/sessions", new StringContent(
            """{"name":"CSRF","template":"3+1","pool":100,"bidMode":"sealed","roundDeadlineSeconds":60}""", System.Text.Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        for (var i = 0; i < Negotiations.MemberNames.Length; i++)
        {
            var added = await _coordinator.Http.PostAsync($"/api/sessions/{id}/members", new StringContent(
                $$"""{"userName":"{{Negotiations.MemberNames[i]}}","partyIndex":{{i}}}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(added.IsSuccessStatusCode);
        }

        return id;
    }
}
