using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Agreements;

/// <summary>MODEL §5 over HTTP: the optimum of a period, partial adjustment, the monotone rule, concurrency and the broadcast.</summary>
public sealed class ContractRevisionTests(ContractFixture fixture) : IClassFixture<ContractFixture>
{
    private static readonly double[] Quarters = [0.25, 0.25, 0.25, 0.25];

    [Fact]
    public async Task The_agreement_is_revision_0_with_the_agreed_shares()
    {
        var id = await fixture.CreateAgreedSessionAsync();

        var json = await HttpAssert.OkJsonAsync(await fixture.Members[2].Http.GetAsync(Url(id)));

        Assert.Equal(0, json.GetProperty("revision").GetInt32());
        Assert.Equal(Quarters, json.GetProperty("shares").Doubles());
        Assert.Equal([25.0, 25, 25, 25], json.GetProperty("allocation").Doubles());
        Assert.Equal(Quarters, json.GetProperty("optimalShares").Doubles());
        var revision = Assert.Single(json.GetProperty("revisions").EnumerateArray());
        Assert.Equal("agreement", revision.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, revision.GetProperty("createdBy").ValueKind);
    }

    [Fact]
    public async Task Partial_adjustment_moves_every_share_the_sessions_lambda_of_the_way_to_the_new_optimum()
    {
        var id = await fixture.CreateAgreedSessionAsync(revisionLambda: 0.5);
        await fixture.RecordStrengthsAsync(id, period: 1, strongest: 4);

        var json = await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 0 }));

        // MODEL §1: l_0 = 4, l_j = 1/2 ⇒ h_0 = 4/5.5, h_j = 0.5/5.5; linear, d = 0 ⇒ s* = h (§3).
        double[] optimum = [4 / 5.5, 0.5 / 5.5, 0.5 / 5.5, 0.5 / 5.5];
        Assert.Equal(optimum, ContractFixture.Optimum(4), Close);
        // MODEL §5: s' = s + λ(s* − s) with λ = 0.5.
        var expected = Quarters.Zip(optimum, (s, star) => s + (0.5 * (star - s))).ToArray();
        Assert.Equal(1, json.GetProperty("revision").GetInt32());
        Assert.Equal(1, json.GetProperty("period").GetInt32());
        Assert.Equal(expected, json.GetProperty("shares").Doubles(), Close);
        Assert.Equal(expected.Select(s => s * 100), json.GetProperty("allocation").Doubles(), Close);
        Assert.Equal(optimum, json.GetProperty("optimalShares").Doubles(), Close);
        var revision = json.GetProperty("revisions")[1];
        Assert.Equal("revision", revision.GetProperty("kind").GetString());
        Assert.Equal(0.5, revision.GetProperty("lambda").GetDouble());
        Assert.Equal(optimum, revision.GetProperty("powers").Doubles(), Close);
        Assert.Equal(ContractFixture.Strengths(4)[0], revision.GetProperty("strengths")[0].Doubles());
        Assert.Equal("coordinator", revision.GetProperty("createdBy").GetString());

        await using var db = fixture.Server.Database();
        var contract = await db.Contracts.Include(c => c.Revisions).SingleAsync(c => c.SessionId == id);
        Assert.Equal(1, contract.CurrentRevision);
        Assert.Equal(2, contract.Revisions.Count);
        Assert.Equal(expected, JsonSerializer.Deserialize<double[]>(contract.SharesJson)!, Close);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Chain == id.ToString("N") && e.Type == "ContractRevised"));
        var verified = await HttpAssert.OkJsonAsync(await fixture.Auditor.Http.GetAsync($"/api/audit/verify?sessionId={id}"));
        Assert.True(verified.GetProperty("valid").GetBoolean());
    }

    public static TheoryData<double[]> Between => new()
    {
        // Every share between the current ¼ and the optimum (8/11, 1/11, 1/11, 1/11), endpoints included.
        { [0.5, 1.0 / 6, 1.0 / 6, 1.0 / 6] },
        { [0.25, 0.25, 0.25, 0.25] },
        { [8 / 11.0, 1 / 11.0, 1 / 11.0, 1 / 11.0] },
        { [0.4, 0.25, 0.25, 0.1] },
    };

    [Theory]
    [MemberData(nameof(Between))]
    public async Task A_proposed_revision_between_the_current_shares_and_the_optimum_is_accepted(double[] proposed)
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);

        var json = await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 0, proposedShares = proposed }));

        Assert.Equal(proposed, json.GetProperty("shares").Doubles(), Close);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("revisions")[1].GetProperty("lambda").ValueKind);
    }

    public static TheoryData<double[], int[]> AwayFromTheOptimum => new()
    {
        // Party 0 falls while its optimum rises; party 1 rises while its optimum falls; 2 and 3 stay (allowed).
        { [0.2, 0.3, 0.25, 0.25], [0, 1] },
        // Overshoot: 0.8 > 8/11 and 0.2/3 < 1/11.
        { [0.8, 0.2 / 3, 0.2 / 3, 0.2 / 3], [0, 1, 2, 3] },
        { [0.5, 0.5, 0, 0], [1, 2, 3] },
    };

    [Theory]
    [MemberData(nameof(AwayFromTheOptimum))]
    public async Task A_proposed_revision_that_moves_a_share_away_from_the_optimum_is_refused_naming_each_share(double[] proposed, int[] offending)
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);
        var before = await fixture.StateAsync(id);

        var response = await Revise(fixture.Coordinator, id, new { expectedRevision = 0, proposedShares = proposed });

        foreach (var i in offending)
        {
            var message = Assert.Single(await HttpAssert.ValidationProblemAsync(response, $"proposedShares[{i}]"));
            Assert.Contains($"for party {i} must lie between the current", message, StringComparison.Ordinal);
            Assert.Contains("away from the optimum", message, StringComparison.Ordinal);
        }

        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(offending.Length, errors.EnumerateObject().Count());
        Assert.Equal(before, await fixture.StateAsync(id));
    }

    [Fact]
    public async Task Repeated_partial_adjustment_shrinks_the_distance_to_the_optimum_by_one_minus_lambda_per_period()
    {
        const double lambda = 0.3;
        var id = await fixture.CreateAgreedSessionAsync();
        var optimum = ContractFixture.Optimum(4);
        var distance = Distance(Quarters, optimum);
        for (var period = 1; period <= 4; period++)
        {
            // The same strengths each period: the optimum stays put while the contract approaches it.
            await fixture.RecordStrengthsAsync(id, period, 4);
            var json = await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = period - 1, lambda }));

            Assert.Equal(period, json.GetProperty("period").GetInt32());
            var next = Distance(json.GetProperty("shares").Doubles(), optimum);
            Assert.Equal((1 - lambda) * distance, next, 12);
            distance = next;
        }

        Assert.Equal(Math.Pow(1 - lambda, 4) * Distance(Quarters, optimum), distance, 12);
        var full = await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 4, lambda = 1 }));
        Assert.Equal(optimum, full.GetProperty("shares").Doubles(), Close);
        Assert.Equal(6, full.GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task Two_coordinators_revising_from_the_same_revision_at_once_get_one_success_and_one_conflict()
    {
        var id = await fixture.CreateAgreedSessionAsync(secondCoordinator: true);
        await fixture.RecordStrengthsAsync(id, 1, 4);

        var responses = await Task.WhenAll(
            Revise(fixture.Coordinator, id, new { expectedRevision = 0 }),
            Revise(fixture.SecondCoordinator, id, new { expectedRevision = 0, lambda = 1 }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("revision 1", await loser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var state = await fixture.StateAsync(id);
        Assert.Equal(2, state.Revisions);
        Assert.Equal(1, state.CurrentRevision);

        // Nothing is lost: the loser reloads and revises from revision 1.
        var retried = await HttpAssert.OkJsonAsync(await Revise(loser == responses[0] ? fixture.Coordinator : fixture.SecondCoordinator, id, new { expectedRevision = 1 }));
        Assert.Equal(2, retried.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_stale_expected_revision_is_a_conflict_and_writes_nothing()
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);
        await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 0 }));
        var before = await fixture.StateAsync(id);

        foreach (var stale in new[] { 0, 2 })
        {
            var response = await Revise(fixture.Coordinator, id, new { expectedRevision = stale });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains($"at revision 1, not {stale}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await fixture.StateAsync(id));
    }

    [Fact]
    public async Task A_revision_another_node_saved_first_makes_this_one_a_conflict_through_the_concurrency_token()
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);
        var before = await fixture.StateAsync(id);
        fixture.OtherNode.BeforeNextContractSave(async () =>
        {
            // Another node committed revision 1 between this node's read and its write.
            await using var db = fixture.Server.Database();
            var contract = await db.Contracts.SingleAsync(c => c.SessionId == id);
            var agreed = await db.ContractRevisions.AsNoTracking().SingleAsync(r => r.ContractId == contract.Id && r.Number == 0);
            db.ContractRevisions.Add(new ContractRevisionRecord
            {
                ContractId = contract.Id, Number = 1, Kind = "Revision", Period = 1, SharesJson = agreed.SharesJson,
                OptimumJson = agreed.OptimumJson, PowersJson = agreed.PowersJson, CreatedUtc = DateTime.UtcNow,
            });
            contract.CurrentRevision = 1;
            contract.Version++;
            await db.SaveChangesAsync();
        });

        var response = await Revise(fixture.Coordinator, id, new { expectedRevision = 0 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("now at revision 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await fixture.StateAsync(id);
        Assert.Equal(before.Revisions + 1, after.Revisions); // only the other node's revision
        Assert.Equal(before.Sequence, after.Sequence);
        Assert.Equal(before.AuditEntries, after.AuditEntries);
        Assert.Equal(before.Shares, after.Shares);
    }

    [Fact]
    public async Task A_session_change_on_another_node_makes_the_revision_a_conflict_and_a_retry_succeeds()
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);
        var before = await fixture.StateAsync(id);
        fixture.OtherNode.BeforeNextContractSave(async () =>
        {
            await using var db = fixture.Server.Database();
            var session = await db.Sessions.SingleAsync(s => s.Id == id);
            session.Version++;
            await db.SaveChangesAsync();
        });

        var response = await Revise(fixture.Coordinator, id, new { expectedRevision = 0 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var after = await fixture.StateAsync(id);
        Assert.Equal(before with { SessionVersion = before.SessionVersion + 1 }, after);
        await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 0 }));
    }

    [Fact]
    public async Task A_connected_member_receives_ContractRevised_with_the_next_sequence_number()
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);
        var member = await fixture.Members[1].ConnectAsync();
        var snapshot = await member.Client.JoinSessionAsync(id);
        fixture.Server.Clock.Advance(TimeSpan.FromSeconds(30));

        var json = await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 0 }));

        var revised = await member.WaitForAsync<ContractRevised>();
        Assert.Equal(id, revised.SessionId);
        Assert.Equal(snapshot.Sequence + 1, revised.Sequence);
        Assert.Equal((await fixture.StateAsync(id)).Sequence, revised.Sequence);
        Assert.Equal(1, revised.Contract.Revision);
        Assert.Equal(json.GetProperty("contractId").GetGuid(), revised.Contract.ContractId);
        Assert.Equal(json.GetProperty("shares").Doubles(), revised.Contract.Shares);
        Assert.Equal(ContractFixture.Optimum(4), revised.OptimalShares, Close);
        Assert.Null(revised.Contract.TangibleShares);

        // A later snapshot carries the revised contract at the same sequence.
        var again = await member.Client.JoinSessionAsync(id);
        Assert.Equal(revised.Sequence, again.Sequence);
        Assert.Equal(1, again.Contract!.Revision);
        Assert.Equal(revised.Contract.EffectiveUtc, again.Contract.EffectiveUtc);
        Assert.Equal(snapshot.Contract!.EffectiveUtc.AddSeconds(30), again.Contract.EffectiveUtc);
    }

    [Fact]
    public async Task The_period_defaults_to_the_current_one_and_may_be_an_earlier_one_not_older_than_the_contracts()
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 1, 4);
        await fixture.RecordStrengthsAsync(id, 2, 2);

        // Period 1 explicitly: toward Optimum(4), although period 2 is current.
        var first = await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 0, period = 1, lambda = 1 }));
        Assert.Equal(ContractFixture.Optimum(4), first.GetProperty("shares").Doubles(), Close);

        var before = await fixture.StateAsync(id);
        var older = await Revise(fixture.Coordinator, id, new { expectedRevision = 1, period = 0 });
        Assert.Contains("must not be before period 1", Assert.Single(await HttpAssert.ValidationProblemAsync(older, "period")), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.StateAsync(id));

        // Default: the current period 2, where party 0 is weaker again (a = 2).
        var second = await HttpAssert.OkJsonAsync(await Revise(fixture.Coordinator, id, new { expectedRevision = 1, lambda = 1 }));
        Assert.Equal(2, second.GetProperty("period").GetInt32());
        Assert.Equal(ContractFixture.Optimum(2), second.GetProperty("shares").Doubles(), Close);
    }

    [Fact]
    public async Task A_period_without_readings_is_refused()
    {
        var id = await fixture.CreateAgreedSessionAsync();
        await fixture.RecordStrengthsAsync(id, 3, 4);
        var before = await fixture.StateAsync(id);

        var response = await Revise(fixture.Coordinator, id, new { expectedRevision = 0, period = 2 });

        var message = Assert.Single(await HttpAssert.ValidationProblemAsync(response, "period"));
        Assert.Contains("periods with readings: 0, 3", message, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.StateAsync(id));
    }

    internal static string Url(Guid id) => $"/api/sessions/{id}/contract";

    internal static Task<HttpResponseMessage> Revise(Realtime.LiveServer.Session caller, Guid id, object body) =>
        caller.Http.PostAsJsonAsync($"{Url(id)}/revisions", body);

    private static double Distance(IReadOnlyList<double> shares, IReadOnlyList<double> optimum) =>
        shares.Zip(optimum, (s, star) => Math.Abs(s - star)).Sum();

    private static bool Close(double a, double b) => Math.Abs(a - b) < 1e-12;
}
