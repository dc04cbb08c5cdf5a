using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Audit;
using NegotiationHub.Server.Tests.Agreements;

namespace NegotiationHub.Server.Tests.Audit;

/// <summary>
/// Issue 20, item 1: every state the API serves is provable from the chain. Someone with the
/// database file edits one served value (each audited table), deletes a row, truncates the chain,
/// or rewrites it consistently; the verifier (over the API and offline) names the table, the row
/// and the entry that recorded the value, and a kept digest names the first entry that differs.
/// Each session here ran to agreement (round 1, 25 each) and was revised once under period-1
/// strengths. On the commit before this one only bid values were compared, so the row edits,
/// the deletion of a revision, the grant and the exact digest entry all went unnoticed.
/// </summary>
public sealed class WholeHistoryTamperTests(ContractFixture fixture) : IClassFixture<ContractFixture>
{
    [Fact]
    public async Task A_session_run_to_agreement_and_revised_verifies_with_every_row_recorded()
    {
        var id = await RevisedSessionAsync();

        var result = await VerifyAsync(id);

        Assert.True(result.GetProperty("valid").GetBoolean(), result.ToString());
        await using var db = fixture.Server.Database();
        var rows = (await db.AuditEntries.AsNoTracking().Where(e => e.Chain == AuditChain.ForSession(id)).ToListAsync())
            .SelectMany(e => JsonDocument.Parse(e.PayloadJson).RootElement.TryGetProperty("rows", out var r) ? r.EnumerateArray().Select(x => x.GetProperty("table").GetString()) : [])
            .ToHashSet();
        Assert.Equal(["bids", "contracts", "factors", "memberships", "parties", "revisions", "rounds", "sessions", "strengths"], rows.Order());
    }

    public static TheoryData<string, string, string> Edits => new()
    {
        // table, what the attacker sets (SQL on the file), the entry type that recorded the true value
        { "sessions", "UPDATE Sessions SET Pool = 1000 WHERE Id = @id", "SessionCreated" },
        { "parties", "UPDATE Parties SET Disagreement = 7 WHERE SessionId = @id AND \"Index\" = 2", "SessionCreated" },
        { "factors", "UPDATE Factors SET Weight = 0.9 WHERE SessionId = @id AND \"Index\" = 0", "SessionCreated" },
        { "memberships", "UPDATE Memberships SET PartyIndex = 3 WHERE SessionId = @id AND PartyIndex = 0", "MemberAdded" },
        { "strengths", "UPDATE StrengthReadings SET Value = 9 WHERE SessionId = @id AND Period = 1 AND PartyIndex = 0 AND FactorIndex = 0", "StrengthsRecorded" },
        { "rounds", "UPDATE Rounds SET AnalysisJson = AnalysisJson || ' ' WHERE SessionId = @id", "AgreementReached" },
        { "bids", "UPDATE Bids SET SubmittedById = (SELECT Id FROM AspNetUsers WHERE UserName = 'inn') WHERE SessionId = @id AND PartyIndex = 0", "BidAccepted" },
        { "contracts", "UPDATE Contracts SET SharesJson = '[0.7,0.1,0.1,0.1]' WHERE SessionId = @id", "ContractRevised" },
        { "revisions", "UPDATE ContractRevisions SET SharesJson = '[0.7,0.1,0.1,0.1]' WHERE Number = 1 AND ContractId = (SELECT Id FROM Contracts WHERE SessionId = @id)", "ContractRevised" },
        { "revisions", "UPDATE ContractRevisions SET SharesJson = '[0.4,0.2,0.2,0.2]' WHERE Number = 0 AND ContractId = (SELECT Id FROM Contracts WHERE SessionId = @id)", "AgreementReached" },
        { "revisions", "DELETE FROM ContractRevisions WHERE Number = 1 AND ContractId = (SELECT Id FROM Contracts WHERE SessionId = @id)", "ContractRevised" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task An_edited_or_deleted_row_names_its_table_and_the_entry_that_recorded_it(string table, string sql, string recordedBy)
    {
        var id = await RevisedSessionAsync();
        var entry = await EntryAsync(id, recordedBy, recordedBy switch
        {
            "MemberAdded" => await UserIdAsync("gov"),
            "BidAccepted" => "\"partyIndex\":0",
            "StrengthsRecorded" => "\"period\":1",
            _ => null,
        });

        await TamperAsync(sql, id);

        var result = await VerifyAsync(id);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(entry, result.GetProperty("firstBrokenEntry").GetInt64());
        var problem = result.GetProperty("problems")[0].GetString()!;
        Assert.StartsWith($"{table} row ", problem, StringComparison.Ordinal);
        Assert.Contains($"entry {entry}", problem, StringComparison.Ordinal);

        var (code, output) = await OfflineAsync("--session", id.ToString());
        Assert.Equal(1, code);
        Assert.Contains($"\"firstBrokenEntry\":{entry}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_chain_leaves_rows_nobody_recorded_and_the_kept_digest_names_the_removed_entries()
    {
        var id = await RevisedSessionAsync();
        var digest = await KeepDigestAsync(id);
        var last = await EntryAsync(id, "ContractRevised", null);

        await TamperAsync("DELETE FROM AuditEntries WHERE Chain = @chain AND Sequence = " + last, id);

        var result = await VerifyAsync(id);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Contains(result.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("is in the database but no entry of the chain recorded it", StringComparison.Ordinal));

        // Truncated and the rows put back as they were before the revision: consistent without a digest…
        await TamperAsync("DELETE FROM ContractRevisions WHERE Number = 1 AND ContractId = (SELECT Id FROM Contracts WHERE SessionId = @id)", id);
        await TamperAsync("UPDATE Contracts SET CurrentRevision = 0, SharesJson = (SELECT SharesJson FROM ContractRevisions r WHERE r.ContractId = Contracts.Id AND r.Number = 0) WHERE SessionId = @id", id);
        Assert.True((await VerifyAsync(id)).GetProperty("valid").GetBoolean(), "history cut back consistently proves itself without a kept digest");

        // …but not against the digest the auditor kept.
        var (code, output) = await OfflineAsync("--digest", digest);
        Assert.Equal(1, code);
        Assert.Contains($"\"firstBrokenEntry\":{last}", output, StringComparison.Ordinal);
        Assert.Contains($"the chain ends at entry {last - 1}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consistent_rewrite_is_named_by_its_first_changed_entry_against_a_kept_digest_offline_and_for_an_export()
    {
        var id = await RevisedSessionAsync();
        var digest = await KeepDigestAsync(id);
        var bid = await EntryAsync(id, "BidAccepted", "\"partyIndex\":1");
        var total = await CountAsync(id);

        // The bid row and its entry rewritten together (demand 25 → 24), every later entry rehashed.
        await TamperAsync("UPDATE Bids SET Demand = 24 WHERE SessionId = @id AND PartyIndex = 1", id);
        await RewriteFromAsync(id, bid, payload => payload.Replace("\"demand\":25", "\"demand\":24", StringComparison.Ordinal));
        Assert.True((await VerifyAsync(id)).GetProperty("valid").GetBoolean(), "a consistent rewrite links up and matches the rows");

        var (code, output) = await OfflineAsync("--digest", digest);
        Assert.Equal(1, code);
        Assert.Contains($"\"firstBrokenEntry\":{bid}", output, StringComparison.Ordinal);
        Assert.Contains($"entry {bid} differs from the kept digest", output, StringComparison.Ordinal);

        // The head alone (sequence and hash) over the API: a mismatch, at or before the head.
        var head = JsonDocument.Parse(await File.ReadAllTextAsync(digest)).RootElement;
        var api = await HttpAssert.OkJsonAsync(await fixture.Auditor.Http.GetAsync($"/api/audit/verify?sessionId={id}&sequence={total}&hash={head.GetProperty("hash").GetString()}"));
        Assert.False(api.GetProperty("digestMatches").GetBoolean());
        Assert.Equal(total, api.GetProperty("firstBrokenEntry").GetInt64());

        // An export of the rewritten history, checked against the same digest, fails at the same entry.
        var export = Path.Combine(fixture.Server.Folder, $"rewritten-{id:N}.json");
        await File.WriteAllBytesAsync(export, await (await fixture.Auditor.Http.GetAsync($"/api/sessions/{id}/export?format=json")).Content.ReadAsByteArrayAsync());
        var exported = new StringWriter();
        Assert.Equal(0, await AuditCommand.RunAsync([AuditCommand.Name, "--export", export], exported, new StringWriter()));
        exported = new StringWriter();
        Assert.Equal(1, await AuditCommand.RunAsync([AuditCommand.Name, "--export", export, "--digest", digest], exported, new StringWriter()));
        Assert.Contains($"\"firstBrokenEntry\":{bid}", exported.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_verifies_every_row_and_an_edited_row_in_it_is_named()
    {
        var id = await RevisedSessionAsync();
        var file = Path.Combine(fixture.Server.Folder, $"export-{id:N}.json");
        await File.WriteAllBytesAsync(file, await (await fixture.Auditor.Http.GetAsync($"/api/sessions/{id}/export?format=json")).Content.ReadAsByteArrayAsync());
        var output = new StringWriter();
        Assert.Equal(0, await AuditCommand.RunAsync([AuditCommand.Name, "--export", file, "--digest", file], output, new StringWriter()));

        var text = await File.ReadAllTextAsync(file);
        var edited = System.Text.RegularExpressions.Regex.Replace(text, "\"disagreement\":0", "\"disagreement\":3", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.NotEqual(text, edited);
        var tampered = Path.Combine(fixture.Server.Folder, $"export-{id:N}-edited.json");
        await File.WriteAllTextAsync(tampered, edited);
        output = new StringWriter();
        Assert.Equal(1, await AuditCommand.RunAsync([AuditCommand.Name, "--export", tampered], output, new StringWriter()));
        Assert.Contains("parties row 0: disagreement is 3 in the database, but entry 1 recorded 0", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_granted_behind_the_applications_back_breaks_the_global_chain()
    {
        var before = await HttpAssert.OkJsonAsync(await fixture.Auditor.Http.GetAsync("/api/audit/verify"));
        Assert.True(before.GetProperty("valid").GetBoolean(), before.ToString());
        var userId = await UserIdAsync("uni");

        await using (var db = fixture.Server.Database())
        {
            var admin = await db.Roles.SingleAsync(r => r.Name == "Admin");
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = userId, RoleId = admin.Id });
            db.RecordsAuditedRows = false;
            await db.SaveChangesAsync();
        }

        try
        {
            var after = await HttpAssert.OkJsonAsync(await fixture.Auditor.Http.GetAsync("/api/audit/verify"));
            Assert.False(after.GetProperty("valid").GetBoolean());
            Assert.Contains($"the role Admin of user {userId} is in the database but no entry granted it", after.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await TamperAsync($"DELETE FROM AspNetUserRoles WHERE UserId = '{userId}' AND RoleId = (SELECT Id FROM AspNetRoles WHERE Name = 'Admin')", Guid.Empty);
        }
    }

    /// <summary>An agreed session (25 each), strengths recorded for period 1 (party 0 at 4), revised once.</summary>
    private async Task<Guid> RevisedSessionAsync()
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);
        var revised = await ContractRevisionTests.Revise(fixture.Coordinator, id, new { expectedRevision = 0 });
        Assert.True(revised.IsSuccessStatusCode, await revised.Content.ReadAsStringAsync());
        return id;
    }

    private async Task<JsonElement> VerifyAsync(Guid id) =>
        await HttpAssert.OkJsonAsync(await fixture.Auditor.Http.GetAsync($"/api/audit/verify?sessionId={id}"));

    private async Task<string> KeepDigestAsync(Guid id)
    {
        var response = await fixture.Auditor.Http.GetAsync($"/api/audit/digest?sessionId={id}");
        var file = Path.Combine(fixture.Server.Folder, $"digest-{id:N}.json");
        await File.WriteAllTextAsync(file, await response.Content.ReadAsStringAsync());
        var digest = await HttpAssert.OkJsonAsync(response);
        Assert.Equal(await CountAsync(id), digest.GetProperty("hashes").GetArrayLength());
        return file;
    }

    private async Task<(int Code, string Output)> OfflineAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] database = fixture.Server.Storage.SqlitePath is { } file ? ["--db", file] : ["--postgres", fixture.Server.Storage.ConnectionString];
        var code = await AuditCommand.RunAsync([AuditCommand.Name, .. database, .. args], output, error);
        return (code, output + error.ToString());
    }

    private async Task<long> EntryAsync(Guid id, string type, string? containing)
    {
        await using var db = fixture.Server.Database();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Chain == AuditChain.ForSession(id) && e.Type == type).OrderBy(e => e.Sequence).ToListAsync();
        return entries.First(e => containing is null || e.PayloadJson.Contains(containing, StringComparison.Ordinal)).Sequence;
    }

    private async Task<int> CountAsync(Guid id)
    {
        await using var db = fixture.Server.Database();
        return await db.AuditEntries.CountAsync(e => e.Chain == AuditChain.ForSession(id));
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = fixture.Server.Database();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    /// <summary>Rewrites one entry's payload and rehashes it and every entry after it: a self-consistent chain again.</summary>
    private async Task RewriteFromAsync(Guid id, long sequence, Func<string, string> edit)
    {
        await using var db = fixture.Server.Database();
        var entries = await db.AuditEntries.Where(e => e.Chain == AuditChain.ForSession(id)).OrderBy(e => e.Sequence).ToListAsync();
        var index = entries.FindIndex(e => e.Sequence == sequence);
        var changed = edit(entries[index].PayloadJson);
        Assert.NotEqual(entries[index].PayloadJson, changed);
        entries[index].PayloadJson = changed;
        for (var i = index; i < entries.Count; i++)
        {
            entries[i].PreviousHash = i == 0 ? AuditChain.Genesis : entries[i - 1].Hash;
            entries[i].Hash = AuditChain.ComputeHash(entries[i]);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>SQL on the database behind the application's back (no change tracking, no audit).</summary>
    private async Task TamperAsync(string sql, Guid id)
    {
        await using var db = fixture.Server.Database();
        var postgres = db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
        var text = sql.Replace("@chain", $"'{AuditChain.ForSession(id)}'", StringComparison.Ordinal)
            .Replace("@id", postgres ? $"'{id}'" : $"'{id.ToString().ToUpperInvariant()}'", StringComparison.Ordinal);
        if (postgres)
        {
            text = Quote(text);
        }

        var changed = await db.Database.ExecuteSqlRawAsync(text);
        Assert.True(changed > 0, $"the tampering changed something: {text}");
    }

    /// <summary>PostgreSQL folds unquoted names to lower case; our tables and columns are PascalCase.</summary>
    private static string Quote(string sql) =>
        System.Text.RegularExpressions.Regex.Replace(sql, "(?<![\"'\\w])([A-Z][A-Za-z]+)(?![\"'\\w(])", m => IsKeyword(m.Value) ? m.Value : $"\"{m.Value}\"", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    private static bool IsKeyword(string word) =>
        word is "UPDATE" or "SET" or "WHERE" or "AND" or "DELETE" or "FROM" or "SELECT" or "IN" or "AS";
}
