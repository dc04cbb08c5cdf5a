using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Audit;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Audit;

/// <summary>Tamper evidence: someone with write access to the database changes history; verification names the first broken entry.</summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LiveServer.Session _auditor = null!;
    private Guid _session;
    private readonly List<BidAck> _acks = [];

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        var coordinator = await Negotiations.CreateUsersAsync(_server);
        _session = await Negotiations.CreateSessionAsync(coordinator);
        var chair = await coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(_session);
        await chair.Client.OpenRoundAsync(_session, 60);
        double[] demands = [40, 30, 30, 30];
        for (var i = 0; i < 4; i++)
        {
            var member = await (await _server.SignInAsync(Negotiations.MemberNames[i])).ConnectAsync();
            _acks.Add(await member.Client.SubmitBidAsync(_session, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = demands[i] }));
        }

        await chair.WaitForAsync<RoundClosed>();
        _auditor = await _server.SignInAsync("auditor");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_untouched_session_chain_verifies_over_the_api_and_offline()
    {
        var result = await VerifyAsync();
        Assert.True(result.GetProperty("valid").GetBoolean(), result.ToString());
        // created 1 + members 4 + auditor 1 + opened 1 + round opened 1 + bids 4 + round closed 1 = 13 entries.
        Assert.Equal(13, result.GetProperty("entries").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("firstBrokenEntry").ValueKind);

        var (code, output) = await OfflineAsync();
        Assert.Equal(0, code);
        Assert.Contains("\"valid\":true", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_bids_value_names_the_entry_that_recorded_it()
    {
        var target = _acks[2];
        var recordedAt = await EntrySequenceAsync("BidAccepted", target.BidId.ToString());

        await TamperAsync(db => db.Bids.Where(b => b.Id == target.BidId).ExecuteUpdateAsync(b => b.SetProperty(x => x.Demand, 29.5)));

        var result = await VerifyAsync();
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(recordedAt, result.GetProperty("firstBrokenEntry").GetInt64());
        Assert.Contains("29.5", result.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        var (code, output) = await OfflineAsync();
        Assert.Equal(1, code);
        Assert.Contains($"\"firstBrokenEntry\":{recordedAt}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_entry_breaks_the_chain_where_it_was()
    {
        await TamperAsync(db => db.AuditEntries.Where(e => e.Chain == Chain && e.Sequence == 5).ExecuteDeleteAsync());

        var result = await VerifyAsync();

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(5, result.GetProperty("firstBrokenEntry").GetInt64());
    }

    [Fact]
    public async Task Reordering_two_entries_breaks_the_chain_at_the_first_of_them()
    {
        // Through a free number, as the (chain, sequence) index is unique.
        foreach (var (from, to) in new[] { (3L, -1L), (4L, 3L), (-1L, 4L) })
        {
            await TamperAsync(db => db.AuditEntries.Where(e => e.Chain == Chain && e.Sequence == from).ExecuteUpdateAsync(e => e.SetProperty(x => x.Sequence, to)));
        }

        var result = await VerifyAsync();

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(3, result.GetProperty("firstBrokenEntry").GetInt64());
    }

    [Fact]
    public async Task Rewriting_an_entry_and_its_hash_without_fixing_its_successor_breaks_at_the_successor()
    {
        // The round-opened entry (no record to cross-check): its successor's link gives it away.
        var sequence = await EntrySequenceAsync("RoundOpened", null);
        await RewriteEntryAsync(sequence, payload => payload.Replace("\"round\":1", "\"round\":7", StringComparison.Ordinal));

        var result = await VerifyAsync();

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(sequence + 1, result.GetProperty("firstBrokenEntry").GetInt64());
    }

    [Fact]
    public async Task Rewriting_a_bid_entry_and_its_hash_is_named_by_the_record_it_no_longer_matches()
    {
        var sequence = await EntrySequenceAsync("BidAccepted", _acks[0].BidId.ToString());
        await RewriteEntryAsync(sequence, payload => payload.Replace("\"demand\":40", "\"demand\":20", StringComparison.Ordinal));

        var result = await VerifyAsync();

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(sequence, result.GetProperty("firstBrokenEntry").GetInt64());
    }

    [Fact]
    public async Task A_consistently_rewritten_chain_is_caught_by_the_digest_the_auditor_kept()
    {
        var digest = await HttpAssert.OkJsonAsync(await _auditor.Http.GetAsync($"/api/audit/digest?sessionId={_session}"));
        var kept = (digest.GetProperty("sequence").GetInt64(), digest.GetProperty("hash").GetString()!);
        Assert.Equal(13, kept.Item1);

        // Rewrite the round-opened entry and re-hash every entry after it: the chain is self-consistent again.
        var sequence = await EntrySequenceAsync("RoundOpened", null);
        await RewriteEntryAsync(sequence, payload => payload.Replace("\"round\":1", "\"round\":7", StringComparison.Ordinal), rehashSuccessors: true);
        Assert.True((await VerifyAsync()).GetProperty("valid").GetBoolean(), "a full rewrite links up again");

        var checkedAgainstDigest = await HttpAssert.OkJsonAsync(await _auditor.Http.GetAsync($"/api/audit/verify?sessionId={_session}&sequence={kept.Item1}&hash={kept.Item2}"));

        Assert.False(checkedAgainstDigest.GetProperty("valid").GetBoolean());
        Assert.False(checkedAgainstDigest.GetProperty("digestMatches").GetBoolean());
    }

    [Fact]
    public async Task The_json_export_reimported_into_a_fresh_database_verifies_and_the_csv_lists_every_entry()
    {
        var response = await _auditor.Http.GetAsync($"/api/sessions/{_session}/export?format=json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.ToString(), StringComparison.Ordinal);
        var file = Path.Combine(_server.Folder, "export.json");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());

        var output = new StringWriter();
        var code = await AuditCommand.RunAsync([AuditCommand.Name, "--export", file], output, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("\"valid\":true", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"entries\":13", output.ToString(), StringComparison.Ordinal);

        // The same export with one demand changed does not verify.
        var tampered = Path.Combine(_server.Folder, "tampered.json");
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(tampered, text.Replace("\"demand\":40,", "\"demand\":41,", StringComparison.Ordinal));
        Assert.Equal(1, await AuditCommand.RunAsync([AuditCommand.Name, "--export", tampered], new StringWriter(), new StringWriter()));

        // For a spreadsheet: a UTF-8 BOM, Chinese as itself, the round, party and demand in columns.
        var bytes = await _auditor.Http.GetByteArrayAsync($"/api/sessions/{_session}/export?format=csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,time_utc,actor,type,round,party,demand,payload_json,previous_hash,hash", lines[0].TrimEnd('\r'));
        Assert.Equal(14, lines.Length);
        Assert.Contains("政府", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", csv, StringComparison.Ordinal);
        var bid = lines.Single(l => l.Contains(_acks[0].BidId.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Contains("\"BidAccepted\",1,0,40,", bid, StringComparison.Ordinal);
        await HttpAssert.ValidationProblemAsync(await _auditor.Http.GetAsync($"/api/sessions/{_session}/export?format=xml"), "format");
    }

    [Fact]
    public async Task The_history_replays_rounds_bids_and_the_powers_behind_them()
    {
        var history = await HttpAssert.OkJsonAsync(await _auditor.Http.GetAsync($"/api/sessions/{_session}/history"));

        var round = Assert.Single(history.GetProperty("rounds").EnumerateArray());
        Assert.Equal([40.0, 30, 30, 30], round.GetProperty("bids").EnumerateArray().Select(b => b.GetProperty("demand").GetDouble()));
        Assert.Equal([0], round.GetProperty("analysis").GetProperty("mustConcede").EnumerateArray().Select(e => e.GetInt32()));
        Assert.All(history.GetProperty("periods")[0].GetProperty("powers").EnumerateArray(), h => Assert.Equal(0.25, h.GetDouble(), 12));
        Assert.Equal(13, history.GetProperty("auditEntries").GetInt32());

        var member = await _server.SignInAsync("gov");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync($"/api/sessions/{_session}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync($"/api/audit/verify?sessionId={_session}")).StatusCode);
    }

    [Fact]
    public async Task Auditors_cannot_write_anything()
    {
        var id = _session;
        var writes = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Post, "/api/sessions", new { name = "x", template = "3+1", pool = 10 }),
            (HttpMethod.Put, $"/api/sessions/{id}/configuration", new { name = "x", template = "3+1", pool = 10 }),
            (HttpMethod.Post, $"/api/sessions/{id}/strengths", new { period = 1, strengths = new[] { new[] { 1.0, 1, 1, 1, 1 } } }),
            (HttpMethod.Post, $"/api/sessions/{id}/members", new { userName = "outsider", partyIndex = 0 }),
            (HttpMethod.Post, $"/api/sessions/{id}/open", null),
            (HttpMethod.Post, $"/api/sessions/{id}/close", null),
            (HttpMethod.Post, "/api/users", new { userName = "x2", password = LiveServer.Password, role = "Admin" }),
        };
        var before = await CountsAsync();
        foreach (var (method, url, body) in writes)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await _auditor.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url}: {(int)response.StatusCode}");
        }

        var hub = await _auditor.ConnectAsync();
        await hub.Client.JoinSessionAsync(id);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.Client.OpenRoundAsync(id, 60));
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.Client.CloseRoundAsync(id));
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 2, Demand = 10 }));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_untampered_chain_of_a_thousand_entries_verifies()
    {
        var chain = AuditChain.ForSession(Guid.NewGuid());
        await using (var db = _server.Database())
        {
            var start = DateTime.UtcNow;
            for (var i = 0; i < 1000; i++)
            {
                await AuditLog.AppendAsync(db, chain, "load", "Test", new { i, value = i * 0.1, text = $"entry {i} 中文" }, start.AddMilliseconds(i), CancellationToken.None);
            }

            await db.SaveChangesAsync();
        }

        await using var check = _server.Database();
        var result = await AuditVerifier.VerifyAsync(check, chain, CancellationToken.None);
        Assert.True(result.Valid, string.Join("; ", result.Problems));
        Assert.Equal(1000, result.Entries);
    }

    private string Chain => AuditChain.ForSession(_session);

    private async Task<JsonElement> VerifyAsync() =>
        await HttpAssert.OkJsonAsync(await _auditor.Http.GetAsync($"/api/audit/verify?sessionId={_session}"));

    private async Task<(int Code, string Output)> OfflineAsync()
    {
        var output = new StringWriter();
        string[] database = _server.Storage.SqlitePath is { } file ? ["--db", file] : ["--postgres", _server.Storage.ConnectionString];
        var code = await AuditCommand.RunAsync([AuditCommand.Name, .. database, "--session", _session.ToString()], output, new StringWriter());
        return (code, output.ToString());
    }

    private async Task<long> EntrySequenceAsync(string type, string? containing)
    {
        await using var db = _server.Database();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Chain == Chain && e.Type == type).ToListAsync();
        return entries.First(e => containing is null || e.PayloadJson.Contains(containing, StringComparison.OrdinalIgnoreCase)).Sequence;
    }

    private async Task RewriteEntryAsync(long sequence, Func<string, string> edit, bool rehashSuccessors = false)
    {
        await using var db = _server.Database();
        var entries = await db.AuditEntries.Where(e => e.Chain == Chain).OrderBy(e => e.Sequence).ToListAsync();
        var index = entries.FindIndex(e => e.Sequence == sequence);
        var changed = edit(entries[index].PayloadJson);
        Assert.NotEqual(entries[index].PayloadJson, changed);
        entries[index].PayloadJson = changed;
        entries[index].Hash = AuditChain.ComputeHash(entries[index]);
        if (rehashSuccessors)
        {
            for (var i = index + 1; i < entries.Count; i++)
            {
                entries[i].PreviousHash = entries[i - 1].Hash;
                entries[i].Hash = AuditChain.ComputeHash(entries[i]);
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Changes the database behind the application's back (a bulk statement, no change tracking, no audit).</summary>
    private async Task TamperAsync(Func<NegotiationDbContext, Task<int>> change)
    {
        await using var db = _server.Database();
        Assert.True(await change(db) > 0, "the tampering changed something");
    }

    private async Task<(int, int, int, int)> CountsAsync()
    {
        await using var db = _server.Database();
        return (await db.Sessions.CountAsync(), await db.Rounds.CountAsync(), await db.Bids.CountAsync(), await db.Memberships.CountAsync());
    }
}
