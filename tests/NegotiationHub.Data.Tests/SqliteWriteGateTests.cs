using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NegotiationHub.Data.Entities;
using NegotiationHub.Testing;

namespace NegotiationHub.Data.Tests;

/// <summary>ADR 0009: one writer thread per SQLite file, its checkpoints, and the per-connection pragmas.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public class SqliteWriteGateTests
{
    [Fact]
    public async Task Concurrent_saves_run_one_at_a_time_on_the_files_writer_thread_and_all_commit()
    {
        using var database = await MigratedAsync();
        var probe = new SaveProbe();
        const int Writers = 48;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
        {
            await using var db = Context(database.ConnectionString, probe);
            db.AuditEntries.Add(Entry($"gate-{i}"));
            Assert.Equal(1, await db.SaveChangesAsync());
        })));

        Assert.Equal(1, probe.MaxConcurrent);
        Assert.Equal(Writers, probe.Saves);
        Assert.All(probe.Threads, name => Assert.StartsWith("SQLite writer", name, StringComparison.Ordinal));
        await using var check = database.CreateContext();
        Assert.Equal(Writers, await check.AuditEntries.CountAsync(e => e.Chain.StartsWith("gate-")));
    }

    [Fact]
    public async Task A_save_made_inside_a_save_runs_inline_instead_of_waiting_for_itself()
    {
        using var database = await MigratedAsync();
        var nested = new NestedWrite(database.ConnectionString);
        await using var db = Context(database.ConnectionString, nested);
        db.AuditEntries.Add(Entry("outer"));

        // A nested save queued behind its own caller would wait out the 30 s busy timeout.
        await db.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10));

        await using var check = database.CreateContext();
        Assert.Equal(["inner", "outer"], await check.AuditEntries.Select(e => e.Chain).OrderBy(c => c).ToListAsync());
    }

    [Theory]
    [InlineData(SqliteSynchronous.Normal, 1)]
    [InlineData(SqliteSynchronous.Full, 2)]
    public async Task Every_connection_runs_with_the_configured_synchronous_pragma(SqliteSynchronous setting, long expected)
    {
        using var database = await MigratedAsync();
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite, database.ConnectionString, setting).Options;
        for (var i = 0; i < 3; i++)
        {
            // Pooled connections too: the second and third open reuse the first's native handle.
            await using var db = new NegotiationDbContext(options);
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA synchronous;";
            Assert.Equal(expected, (long)(await command.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task A_committing_connection_checkpoints_by_itself_only_far_beyond_the_point_where_the_writer_starts_the_wal_over()
    {
        // Were SQLite's own auto-checkpoint (run by the connection that commits, while every
        // queued write waits) to come first, the writer's restart point would never be reached.
        using var database = await MigratedAsync();
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint;";
        var autoCheckpoint = (long)(await command.ExecuteScalarAsync())!;

        Assert.Equal(10_000L, autoCheckpoint);
        Assert.Equal(SqliteConnectionSetup.AutoCheckpointPages, autoCheckpoint);
        Assert.True(autoCheckpoint >= 2L * SqliteWriteGate.RestartWalPages, $"auto-checkpoint at {autoCheckpoint} pages, restart at {SqliteWriteGate.RestartWalPages}");
    }

    [Fact]
    public async Task The_writer_thread_checkpoints_between_writes_so_the_wal_starts_over_instead_of_growing()
    {
        using var database = await MigratedAsync();
        var gate = Assert.IsType<SqliteWriteGate>(SqliteWriteGate.For(database.CreateContext()));
        gate.RestartAfterPages = 128; // 512 KiB instead of 16 MiB
        gate.CheckpointEvery = 64; // at this test's scale
        const int Writes = 1500;
        for (var i = 0; i < Writes; i++)
        {
            // One at a time: the queue is empty after each, so the writer may checkpoint.
            await using var db = database.CreateContext();
            var entry = Entry($"wal-{i}");
            entry.PayloadJson = $"{{\"padding\":\"{new string('x', 2000)}\"}}";
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync();
        }

        var wal = new FileInfo(database.SqlitePath + "-wal");

        // Each write adds at least one 4 KiB page (2 KB of payload): without checkpoints the WAL
        // holds every one of them (the safety-net threshold is 10,000 pages), about 6 MB here.
        Assert.True(gate.Checkpoints >= Writes / gate.CheckpointEvery - 1, $"{gate.Checkpoints} checkpoints");
        Assert.True(wal.Length < 2_000_000, $"the WAL is {wal.Length} bytes");
        await using var check = database.CreateContext();
        Assert.Equal(Writes, await check.AuditEntries.CountAsync(e => e.Chain.StartsWith("wal-")));
    }

    [Fact]
    public async Task Writes_commit_while_the_checkpoint_thread_checkpoints()
    {
        using var database = await MigratedAsync();
        var gate = Assert.IsType<SqliteWriteGate>(SqliteWriteGate.For(database.CreateContext()));
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        gate.BeforeBackgroundCheckpoint = () =>
        {
            entered.Release();
            release.Wait(TimeSpan.FromSeconds(60));
        };
        try
        {
            var writes = 0;
            while (!await entered.WaitAsync(0))
            {
                Assert.True(writes < 2 * SqliteWriteGate.CheckpointEveryWrites, $"no checkpoint was asked for after {writes} writes");
                await WriteAsync(database, $"held-{writes++}");
            }

            // The checkpoint is held where it starts; a checkpoint on the writer's path would hold these too.
            for (var i = 0; i < 20; i++)
            {
                await WriteAsync(database, $"held-{writes++}").WaitAsync(TimeSpan.FromSeconds(10));
            }

            Assert.Equal(0, entered.CurrentCount);
            await using var check = database.CreateContext();
            Assert.Equal(writes, await check.AuditEntries.CountAsync(e => e.Chain.StartsWith("held-")));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Under_concurrent_writes_the_wal_is_copied_back_beside_them_and_starts_over()
    {
        using var database = await MigratedAsync();
        var gate = Assert.IsType<SqliteWriteGate>(SqliteWriteGate.For(database.CreateContext()));
        gate.RestartAfterPages = 128;
        gate.CheckpointEvery = 64;
        const int Writers = 8;
        const int WritesEach = 200;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < WritesEach; i++)
            {
                await WriteAsync(database, $"busy-{w}-{i}", padding: 2000);
            }
        })));

        // 1,600 writes of a 4 KiB page or more each: about 6.5 MB in a WAL that never started over.
        var wal = new FileInfo(database.SqlitePath + "-wal");
        Assert.True(wal.Length < 3_000_000, $"the WAL is {wal.Length} bytes");
        Assert.True(gate.Checkpoints >= Writers * WritesEach / gate.CheckpointEvery, $"{gate.Checkpoints} checkpoints");
        await using var check = database.CreateContext();
        Assert.Equal(Writers * WritesEach, await check.AuditEntries.CountAsync(e => e.Chain.StartsWith("busy-")));
    }

    private static async Task WriteAsync(TestDatabase database, string chain, int padding = 0)
    {
        await using var db = database.CreateContext();
        var entry = Entry(chain);
        if (padding > 0)
        {
            entry.PayloadJson = $"{{\"padding\":\"{new string('x', padding)}\"}}";
        }

        db.AuditEntries.Add(entry);
        Assert.Equal(1, await db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_write_completed_on_the_writer_thread_continues_in_its_callers_scheduler_and_a_plain_one_on_the_pool()
    {
        using var database = await MigratedAsync();
        var gate = Assert.IsType<SqliteWriteGate>(SqliteWriteGate.For(database.CreateContext()));
        var exclusive = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

        // A write on the writer thread holds it, so the grain-like caller's write queues behind it.
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunOnWriterAsync(_ => { started.SetResult(); release.Wait(); return 0; }, completeOnWriter: false, CancellationToken.None);
        await started.Task;

        // As a grain awaits it: the continuation goes back to the caller's scheduler, not on in the writer thread.
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = Task.Factory.StartNew(
            async () =>
            {
                var write = gate.RunOnWriterAsync(_ => Thread.CurrentThread.Name, completeOnWriter: true, CancellationToken.None);
                called.SetResult();
                var writer = await write;
                return (writer, Thread.CurrentThread.Name, TaskScheduler.Current);
            },
            CancellationToken.None,
            TaskCreationOptions.None,
            exclusive).Unwrap();
        await called.Task;
        release.Set();
        await holding;
        var (wroteOn, continuedOn, scheduler) = await queued;
        Assert.StartsWith("SQLite writer", wroteOn, StringComparison.Ordinal);
        Assert.False(continuedOn?.StartsWith("SQLite writer", StringComparison.Ordinal) ?? false, continuedOn);
        Assert.Same(exclusive, scheduler);

        // A plain caller's continuation runs on the thread pool, and its write on the writer thread.
        var plain = await gate.RunOnWriterAsync(_ => Thread.CurrentThread.Name, completeOnWriter: false, CancellationToken.None);
        Assert.StartsWith("SQLite writer", plain, StringComparison.Ordinal);
        Assert.True(Thread.CurrentThread.IsThreadPoolThread);
    }

    [Fact]
    public async Task A_callers_write_to_an_idle_file_runs_on_its_own_thread_and_writes_still_never_overlap()
    {
        using var database = await MigratedAsync();
        var gate = Assert.IsType<SqliteWriteGate>(SqliteWriteGate.For(database.CreateContext()));
        var exclusive = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

        // Nothing runs or waits: the write runs on the caller's thread, as the writer, in its scheduler.
        var (inline, wroteOn, writerOn) = await Task.Factory.StartNew(
            async () =>
            {
                var caller = Environment.CurrentManagedThreadId;
                var (thread, connection) = await gate.RunOnWriterAsync(c => (Environment.CurrentManagedThreadId, c), completeOnWriter: true, CancellationToken.None);
                return (caller, thread, connection);
            },
            CancellationToken.None,
            TaskCreationOptions.None,
            exclusive).Unwrap();
        Assert.Equal(inline, wroteOn);

        // It used the writer's own connection: the one the writer thread's writes use.
        var writerConnection = await gate.RunOnWriterAsync(c => c, completeOnWriter: false, CancellationToken.None);
        Assert.Same(writerOn, writerConnection);

        // Concurrent inline and queued writes still run one at a time, and all commit.
        var running = 0;
        var overlapped = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Factory.StartNew(
            () => gate.RunOnWriterAsync(
                c =>
                {
                    if (Interlocked.Increment(ref running) > 1)
                    {
                        Interlocked.Increment(ref overlapped);
                    }

                    using var command = c.CreateCommand();
                    command.CommandText = "INSERT INTO AuditEntries (Chain, Sequence, TimeUtc, Actor, Type, PayloadJson, PreviousHash, Hash) VALUES ($c, 1, '2026-12-07 00:00:00', 'a', 't', '{}', '', '')";
                    command.Parameters.AddWithValue("$c", $"inline-{i}");
                    command.ExecuteNonQuery();
                    Thread.SpinWait(2000);
                    Interlocked.Decrement(ref running);
                    return 0;
                },
                completeOnWriter: i % 2 == 0,
                CancellationToken.None),
            CancellationToken.None,
            TaskCreationOptions.None,
            new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler).Unwrap()));
        Assert.Equal(0, overlapped);
        await using var check = database.CreateContext();
        Assert.Equal(64, await check.AuditEntries.CountAsync(e => e.Chain.StartsWith("inline-")));
    }

    private static async Task<TestDatabase> MigratedAsync()
    {
        var database = TestDatabase.InNewFolder();
        await using var db = database.CreateContext();
        await DatabaseSetup.MigrateAsync(db);
        return database;
    }

    private static NegotiationDbContext Context(string connectionString, IInterceptor interceptor) =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite, connectionString)
            .AddInterceptors(interceptor).Options);

    private static AuditEntry Entry(string chain) => new()
    {
        Chain = chain, Sequence = 1, TimeUtc = new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), Actor = "test", Type = "Test",
        PayloadJson = "{}", PreviousHash = new string('0', 64), Hash = new string('1', 64),
    };

    /// <summary>Counts saves in flight (between SavingChanges and its end) and the threads they ran on.</summary>
    private sealed class SaveProbe : SaveChangesInterceptor
    {
        private int _inFlight;
        private int _max;
        private int _saves;

        public int MaxConcurrent => Volatile.Read(ref _max);

        public int Saves => Volatile.Read(ref _saves);

        public System.Collections.Concurrent.ConcurrentBag<string> Threads { get; } = [];

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            Threads.Add(Thread.CurrentThread.Name ?? "(thread pool)");
            Thread.Sleep(2); // widen the window in which an overlapping save would be seen
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(SavingChanges(eventData, result));

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Interlocked.Increment(ref _saves);
            Interlocked.Decrement(ref _inFlight);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(SavedChanges(eventData, result));

        public override void SaveChangesFailed(DbContextErrorEventData eventData) => Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>On the first save, makes another context save first (as a test's "other node" does).</summary>
    private sealed class NestedWrite(string connectionString) : SaveChangesInterceptor
    {
        private int _done;

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                using var other = new NegotiationDbContext(DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite, connectionString).Options);
                other.AuditEntries.Add(Entry("inner"));
                other.SaveChangesAsync().GetAwaiter().GetResult();
            }

            return result;
        }
    }
}
