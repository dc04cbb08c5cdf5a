using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NegotiationHub.Contracts;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Testing;

namespace NegotiationHub.Data.Tests;

/// <summary>
/// ADR 0020: the live writes' <see cref="RowWriter"/> stores every row and audit entry exactly as
/// EF Core's <c>SaveChanges</c> stores the same changes — the oracle is a second database written
/// by <c>SaveChanges</c> — and a stale write writes nothing. On the test provider (SQLite or PostgreSQL).
/// </summary>
public sealed class RowWriterTests
{
    private static readonly string[] Tables = ["Sessions", "Rounds", "Bids", "Contracts", "ContractRevisions", "AuditEntries"];

    [Theory]
    [InlineData(20261206)]
    [InlineData(7)]
    [InlineData(1234567)]
    public async Task Live_writes_store_every_row_and_entry_byte_for_byte_as_SaveChanges_stores_them(int seed)
    {
        using var viaEf = await SeededAsync();
        using var viaRows = await SeededAsync();
        var writer = new RowWriter(new Factory(Options(viaRows)));

        // The same seeded sequence of live writes (round opened, bids, a close with auto-concessions
        // and, at the end, an agreement with its contract), built afresh for each database.
        foreach (var step in Steps(seed))
        {
            var (changes, entries) = step(true);
            await using (var db = viaEf.CreateContext())
            {
                foreach (var change in changes)
                {
                    if (change.Original is { } original)
                    {
                        db.Attach(original);
                        db.Entry(original).CurrentValues.SetValues(change.Entity);
                    }
                    else
                    {
                        db.Add(change.Entity);
                    }
                }

                db.AuditEntries.AddRange(entries);
                await db.SaveChangesAsync();
            }

            // The write's last entry unhashed, as the live writer makes it: the row writer hashes it once its rows are in.
            var (rowChanges, rowEntries) = step(false);
            Assert.True(await writer.WriteAsync(rowChanges, rowEntries, CancellationToken.None));
            Assert.Equal(entries.Select(e => e.Hash), rowEntries.Select(e => e.Hash)); // the same row records, hashed the same
        }

        foreach (var table in Tables)
        {
            var expected = await RowsAsync(viaEf, table);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await RowsAsync(viaRows, table));
        }
    }

    [Fact]
    public async Task A_write_whose_original_version_has_moved_on_or_whose_key_is_taken_writes_nothing()
    {
        using var database = await SeededAsync();
        var writer = new RowWriter(new Factory(Options(database)));
        var steps = Steps(99).ToList();
        var (open, openEntries) = steps[0](true);
        Assert.True(await writer.WriteAsync(open, openEntries, CancellationToken.None));
        var before = await SnapshotAsync(database);

        // Decided on version 0 again: the session row is at 1.
        var (stale, staleEntries) = steps[0](true);
        var round = (Round)stale[1].Entity;
        round.Number = 2;
        staleEntries[0].Sequence = 2;
        Assert.False(await writer.WriteAsync(stale, staleEntries, CancellationToken.None));
        Assert.Equal(before, await SnapshotAsync(database));

        // At the right version, but the bid id is taken: the session row must not move either.
        var (bid, bidEntries) = steps[1](true);
        Assert.True(await writer.WriteAsync(bid, bidEntries, CancellationToken.None));
        before = await SnapshotAsync(database);
        var (again, againEntries) = steps[2](true);
        ((Bid)again[1].Entity).Id = ((Bid)bid[1].Entity).Id;
        Assert.False(await writer.WriteAsync(again, againEntries, CancellationToken.None));
        Assert.Equal(before, await SnapshotAsync(database));
    }

    [Fact]
    public async Task An_interceptor_that_throws_fails_the_write_with_nothing_written()
    {
        using var database = await SeededAsync();
        var writer = new RowWriter(new Factory(Options(database, new Throwing())));
        var (changes, entries) = Steps(5).First()(true);

        var before = await SnapshotAsync(database);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(changes, entries, CancellationToken.None));

        Assert.Equal(before, await SnapshotAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal(0, (await db.Sessions.SingleAsync()).Version);
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    private static readonly Guid SessionId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    /// <summary>
    /// The live writes of one session, each a function that builds the write afresh (the entities a
    /// save tracks are its own): open round 1, three bids, the fourth with the close (two auto
    /// conceded bids are recorded with it when the seed says so), then round 2 and its agreement.
    /// </summary>
    private static IEnumerable<Func<bool, (List<RowChange>, List<AuditEntry>)>> Steps(int seed)
    {
        var random = new Random(seed);
        var version = 0L;
        var head = AuditHead.Genesis;
        var time = new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc).AddTicks(random.Next(0, 10_000_000));
        var chain = AuditChain.ForSession(SessionId);
        const string Alphabet = "aZ9 é中\"\\<>&\u2028";
        string Text(int length) => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);

        for (var number = 1; number <= 2; number++)
        {
            var round = number;
            var opened = time = time.AddSeconds(1).AddTicks(random.Next(1, 9999));
            var (v, h) = (version, head);
            var deadline = opened.AddSeconds(60);
            yield return hashLast =>
            {
                var changes = new List<RowChange>
                {
                    Session(v, v + 1, round - 1, round),
                    RowChange.Added(new Round { SessionId = SessionId, Number = round, State = RoundState.Open, Period = round - 1, OpenedUtc = opened, DeadlineUtc = deadline }),
                };
                return (changes, [AuditLog.Next(chain, h, "chair é", "RoundOpened", new { round, deadline }, opened, hashLast)]);
            };
            version++;
            head = new AuditHead(head.Sequence + 1, "");

            var bidders = random.Next(2, 5);
            for (var party = 0; party < bidders; party++)
            {
                var p = party;
                var demand = random.NextDouble() * 1e6 * Math.Pow(10, random.Next(-12, 12));
                var proposal = random.Next(2) == 0 ? null : JsonSerializer.Serialize(new[] { random.NextDouble(), demand });
                var id = new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]);
                var at = time = time.AddTicks(random.Next(1, 99_999_999));
                var closes = party == bidders - 1;
                var analysis = Text(random.Next(2) == 0 ? 300 : 20); // over AuditRows.LongText: recorded as its SHA-256
                var compatible = random.Next(3) switch { 0 => (bool?)null, 1 => true, _ => false };
                var nash = random.Next(2) == 0 ? (double?)null : random.NextDouble();
                var auto = random.Next(2) == 0;
                var agreement = closes && round == 2;
                var (bv, bh, actor) = (version, head, Text(8));
                yield return hashLast =>
                {
                    var changes = new List<RowChange>
                    {
                        Session(bv, bv + 1, round, round),
                        RowChange.Added(new Bid { Id = id, SessionId = SessionId, RoundNumber = round, PartyIndex = p, Demand = demand, ProposalJson = proposal, SubmittedById = actor, SubmittedUtc = at, Sequence = bv + 1 }),
                    };
                    var entries = new List<AuditEntry> { AuditLog.Next(chain, bh, actor, "BidAccepted", new { bidId = id, round, demand, proposal }, at, hash: hashLast || closes) };
                    if (closes)
                    {
                        var open = new Round { SessionId = SessionId, Number = round, State = RoundState.Open, Period = round - 1 };
                        var closed = new Round
                        {
                            SessionId = SessionId, Number = round, State = RoundState.Closed, Period = round - 1, ClosedUtc = at, CloseReason = RoundCloseReason.AllBid,
                            AnalysisJson = analysis, Compatible = compatible, NashEfficiency = nash, Distance = 0,
                        };
                        changes.Add(RowChange.Modified(closed, open));
                        if (auto)
                        {
                            changes.Add(RowChange.Added(new Bid { Id = new Guid([.. id.ToByteArray().Reverse()]), SessionId = SessionId, RoundNumber = round, PartyIndex = 4, Demand = -0.0, SubmittedUtc = at, AutoConceded = true }));
                        }

                        if (agreement)
                        {
                            var contract = new Contract { Id = new Guid([.. id.ToByteArray().Select(b => (byte)(b ^ 0xFF))]), SessionId = SessionId, RoundNumber = round, CreatedUtc = at, SharesJson = "[0.25,0.75]" };
                            var revision = new ContractRevisionRecord { ContractId = contract.Id, Number = 0, Kind = "Agreement", Period = 1, SharesJson = contract.SharesJson, OptimumJson = analysis, PowersJson = "[1]", CreatedUtc = at };
                            changes.Add(RowChange.Added(contract));
                            changes.Add(RowChange.Added(revision));
                        }

                        var closedEntry = AuditLog.Next(chain, new AuditHead(entries[0].Sequence, entries[0].Hash), "system", "RoundClosed", new { round, analysis }, at, hashLast);
                        entries.Add(closedEntry);
                    }

                    return (changes, entries);
                };
                version++;
                head = new AuditHead(head.Sequence + (closes ? 2 : 1), "");
            }
        }
    }

    private static RowChange Session(long version, long next, int round, int nextRound) => RowChange.Modified(
        new NegotiationSession { Id = SessionId, Version = next, Sequence = next, CurrentRound = nextRound, State = SessionState.Open },
        new NegotiationSession { Id = SessionId, Version = version, Sequence = version, CurrentRound = round, State = SessionState.Open });

    private static async Task<TestDatabase> SeededAsync()
    {
        var database = TestDatabase.InNewFolder();
        await using var db = database.CreateContext();
        await DatabaseSetup.MigrateAsync(db);
        db.Sessions.Add(new NegotiationSession { Id = SessionId, Name = "row writer", State = SessionState.Open, Pool = 100, CreatedById = "chair", CreatedUtc = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc) });
        db.RecordsAuditedRows = false;
        await db.SaveChangesAsync();
        return database;
    }

    private static DbContextOptions<NegotiationDbContext> Options(TestDatabase database, params IInterceptor[] interceptors) =>
        DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), TestDatabase.Provider, database.ConnectionString).AddInterceptors(interceptors).Options;

    /// <summary>Every row of a table, every column as the provider returns it, in key order.</summary>
    private static async Task<List<string>> RowsAsync(TestDatabase database, string table)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={Describe(reader, i)}")));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Describe(DbDataReader reader, int i) => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) switch
    {
        DateTime t => $"DateTime:{t:O}",
        double d => $"Double:{d:R}",
        var v => $"{v.GetType().Name}:{Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)}",
    };

    private static async Task<List<List<string>>> SnapshotAsync(TestDatabase database)
    {
        var tables = new List<List<string>>();
        foreach (var table in Tables)
        {
            tables.Add(await RowsAsync(database, table));
        }

        return tables;
    }

    private sealed class Factory(DbContextOptions<NegotiationDbContext> options) : IDbContextFactory<NegotiationDbContext>
    {
        public NegotiationDbContext CreateDbContext() => new(options);
    }

    private sealed class Throwing : IInterceptor, IRowWriteInterceptor
    {
        public void Writing(DbConnection connection, IReadOnlyList<RowChange> changes, IReadOnlyList<AuditEntry> entries) =>
            throw new InvalidOperationException("simulated failure before the write");
    }
}
