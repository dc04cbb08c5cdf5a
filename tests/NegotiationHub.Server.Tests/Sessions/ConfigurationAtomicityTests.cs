using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Tests.Realtime;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Sessions;

/// <summary>
/// Every configuration change of a session is one write with its audit entry (issue 20, item 11):
/// reconfiguring a draft and re-recording its strengths used to delete the old rows in one commit,
/// without an audit entry, and add the new ones in a second. A failure of the write that carries
/// the audit entry now leaves the session exactly as it was. Fails on the commit before this one.
/// </summary>
public class ConfigurationAtomicityTests
{
    [Fact]
    public async Task A_reconfiguration_that_fails_leaves_the_session_as_it_was_and_one_that_succeeds_is_audited_once()
    {
        var fail = new FailingAuditedWrite(AuditEvents.SessionConfigured);
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(fail)));
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var created = await coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "Before", template = "3+1", pool = 100 });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var before = await SnapshotAsync(server, id);
        object threeParties = new
        {
            name = "After", pool = 50,
            parties = new[] { new { name = "A", category = "enterprise" }, new { name = "B", category = "university" }, new { name = "C", category = "innovator" } },
            factors = new[] { new { name = "capability", weight = 1.0 } },
            strengths = new[] { new[] { 1.0 }, new[] { 2.0 }, new[] { 3.0 } },
        };

        fail.Arm();
        var failed = await coordinator.Http.PutAsJsonAsync($"/api/sessions/{id}/configuration", threeParties);

        Assert.False(failed.IsSuccessStatusCode);
        Assert.Equal(before, await SnapshotAsync(server, id));

        var succeeded = await coordinator.Http.PutAsJsonAsync($"/api/sessions/{id}/configuration", threeParties);

        Assert.True(succeeded.IsSuccessStatusCode, await succeeded.Content.ReadAsStringAsync());
        var after = await SnapshotAsync(server, id);
        Assert.Equal("After", after.Name);
        Assert.Equal("A,B,C", after.Parties);
        Assert.Equal(3, after.Readings);
        Assert.Equal(before.Configured + 1, after.Configured);
        await using var db = server.Database();
        var verification = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
        Assert.True(verification.Valid, string.Join("; ", verification.Problems));
    }

    [Fact]
    public async Task Re_recording_strengths_that_fails_keeps_the_old_readings()
    {
        var fail = new FailingAuditedWrite(AuditEvents.StrengthsRecorded);
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(fail)));
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var created = await coordinator.Http.PostAsJsonAsync("/api/sessions", new { name = "Strengths", template = "3+1", pool = 100 });
        var detail = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = detail.GetProperty("id").GetGuid();
        var before = await SnapshotAsync(server, id);
        var factors = detail.GetProperty("factors").GetArrayLength();
        var strengths = Enumerable.Range(0, 4).Select(i => Enumerable.Repeat(i + 1.0, factors).ToArray()).ToArray();

        fail.Arm();
        var failed = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period = 0, strengths });

        Assert.False(failed.IsSuccessStatusCode);
        Assert.Equal(before, await SnapshotAsync(server, id));
        Assert.True((await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period = 0, strengths })).IsSuccessStatusCode);
        Assert.NotEqual(before.ReadingValues, (await SnapshotAsync(server, id)).ReadingValues);
    }

    private sealed record Snapshot(string Name, long Version, string Parties, int Readings, string ReadingValues, int Configured)
    {
        public Snapshot(string name, long version, IEnumerable<string> parties, IReadOnlyList<double> readings, int configured)
            : this(name, version, string.Join(",", parties), readings.Count, string.Join(",", readings), configured)
        {
        }
    }

    private static async Task<Snapshot> SnapshotAsync(LiveServer server, Guid id)
    {
        await using var db = server.Database();
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
        var parties = await db.Parties.AsNoTracking().Where(p => p.SessionId == id).OrderBy(p => p.Index).Select(p => p.Name).ToListAsync();
        var readings = await db.StrengthReadings.AsNoTracking().Where(r => r.SessionId == id).OrderBy(r => r.Period).ThenBy(r => r.PartyIndex).ThenBy(r => r.FactorIndex).Select(r => r.Value).ToListAsync();
        var chain = AuditChain.ForSession(id);
        var configured = await db.AuditEntries.CountAsync(e => e.Chain == chain && e.Type == AuditEvents.SessionConfigured);
        return new Snapshot(session.Name, session.Version, parties, readings, configured);
    }

    /// <summary>Fails the next save that carries an audit entry of <c>type</c>, as a full disk or a lost connection would.</summary>
    private sealed class FailingAuditedWrite(string type) : SaveObserver
    {
        private int _armed;

        public void Arm() => Volatile.Write(ref _armed, 1);

        protected override void Saving(DbContext db)
        {
            if (db.ChangeTracker.Entries<Entities.AuditEntry>().Any(e => e.State == EntityState.Added && e.Entity.Type == type)
                && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                throw new DbUpdateException("simulated: the write with the audit entry failed");
            }
        }
    }
}
