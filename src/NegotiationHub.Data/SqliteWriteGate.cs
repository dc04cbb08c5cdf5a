using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace NegotiationHub.Data;

/// <summary>
/// One writer per SQLite file within this process: a dedicated thread that runs the writes
/// (synchronous <c>SaveChanges</c>) back to back, in arrival order (ADR 0009).
/// </summary>
/// <remarks>
/// SQLite admits a single writer. Without the gate concurrent saves of different sessions met in
/// <c>BEGIN IMMEDIATE</c> and the losers retried in Microsoft.Data.Sqlite's busy loop, which blocks
/// a thread-pool thread in <c>Thread.Sleep</c>. An async lock fixed that but made a convoy: each
/// hand-over woke the next writer through the thread-pool queue, behind every other work item of
/// a busy server, so writes queued for hundreds of milliseconds while the database sat idle. On its
/// own thread the next write starts the moment the last one commits; callers await a task. A write
/// made from inside a write (an interceptor's) runs inline. SQLite's busy handler is left for other
/// processes on the file (a backup, a second server).
/// <para>
/// The thread also checkpoints the WAL, when no write is waiting: every
/// <see cref="CheckpointEveryWrites"/> writes and before it exits. Left to SQLite, the commit that
/// crosses the auto-checkpoint threshold copies a thousand pages back into the database and syncs it
/// while every queued write waits; connections keep only a far threshold as a safety net
/// (<see cref="SqliteConnectionSetup.AutoCheckpointPages"/>).
/// </para>
/// </remarks>
public sealed class SqliteWriteGate
{
    /// <summary>The meter of the gate's instruments (<c>dotnet-counters monitor --counters NegotiationHub.Data</c>).</summary>
    public const string MeterName = "NegotiationHub.Data";

    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(5);
    private static readonly ConcurrentDictionary<string, SqliteWriteGate?> ByConnectionString = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> ByFile = new(StringComparer.Ordinal);
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Waited = Meter.CreateHistogram<double>("negotiationhub.sqlite.write.wait", "ms", "How long a SQLite write queued behind this process's other writes.");
    private static readonly Histogram<double> Held = Meter.CreateHistogram<double>("negotiationhub.sqlite.write.duration", "ms", "How long a SQLite write ran on the writer thread (the SaveChanges transaction).");
    private static readonly Histogram<double> Checkpointed = Meter.CreateHistogram<double>("negotiationhub.sqlite.checkpoint.duration", "ms", "How long a WAL checkpoint ran on the writer thread, between writes.");

    /// <summary>Writes after which the writer thread checkpoints the WAL as soon as no write is waiting.</summary>
    public const int CheckpointEveryWrites = 64;

    [ThreadStatic]
    private static SqliteWriteGate? _running;

    private readonly object _lock = new();
    private readonly Queue<Job> _queue = new();
    private bool _threadAlive;

    private readonly string _connectionString;
    private readonly string? _pragma;
    private SqliteConnection? _connection; // the writer thread's only
    private int _sinceCheckpoint; // the writer thread's only
    private long _checkpoints;

    private SqliteWriteGate(string file, TimeSpan timeout, string connectionString, string? pragma)
    {
        File = file;
        Timeout = timeout;
        _connectionString = connectionString;
        _pragma = pragma;
    }

    /// <summary>WAL checkpoints the writer thread has run.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>The database file the gate serializes writes to.</summary>
    public string File { get; }

    /// <summary>How long a write may queue behind the writes ahead of it: the connection's busy timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The gate of the context's SQLite file, or null for another provider or an in-memory database.</summary>
    public static SqliteWriteGate? For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite() || db.Database.GetConnectionString() is not { } connectionString)
        {
            return null;
        }

        if (ByConnectionString.TryGetValue(connectionString, out var known))
        {
            return known;
        }

        // The writer thread's own connection gets the pragmas EF's connections get (SqliteConnectionSetup).
        var pragma = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<SqliteConnectionSetup>().FirstOrDefault()?.Pragma;
        return ByConnectionString.GetOrAdd(connectionString, cs =>
        {
            var builder = new SqliteConnectionStringBuilder(cs);
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
            {
                return null;
            }

            var timeout = TimeSpan.FromSeconds(Math.Max(1, builder.DefaultTimeout));
            return ByFile.GetOrAdd(Path.GetFullPath(builder.DataSource), f => new SqliteWriteGate(f, timeout, cs, pragma));
        });
    }

    /// <summary>Runs the synchronous <paramref name="write"/> on the file's writer thread; completes when it has.</summary>
    /// <exception cref="SqliteException">SQLITE_BUSY: the writes ahead did not finish within <see cref="Timeout"/>; nothing was written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the write started.</exception>
    public Task<T> RunAsync<T>(Func<T> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_running == this)
        {
            // A write from inside a write (an interceptor's): the writer is this thread.
            return Task.FromResult(write());
        }

        cancellationToken.ThrowIfCancellationRequested();
        var job = new Job<T>(write, cancellationToken, Stopwatch.GetTimestamp());
        Enqueue(job);
        return job.Completion.Task;
    }

    /// <summary>
    /// Runs the synchronous <paramref name="write"/> on the file's writer thread with that thread's own
    /// connection, open and kept between writes (so its prepared statements stay prepared); the
    /// write must leave it with no transaction open.
    /// </summary>
    /// <inheritdoc cref="RunAsync{T}(Func{T}, CancellationToken)" path="/exception"/>
    public Task<T> RunOnWriterAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return RunAsync(() => write(WriterConnection()), cancellationToken);
    }

    /// <summary>The writer thread's connection, opened with the file's pragmas on first use.</summary>
    private SqliteConnection WriterConnection()
    {
        if (_connection is null)
        {
            var connection = new SqliteConnection(_connectionString);
            connection.Open();
            if (_pragma is not null)
            {
                using var command = connection.CreateCommand();
                command.CommandText = _pragma;
                command.ExecuteNonQuery();
            }

            _connection = connection;
        }

        return _connection;
    }

    /// <summary>Runs <paramref name="write"/> on the writer thread and blocks until it has (the synchronous <c>SaveChanges</c>).</summary>
    /// <inheritdoc cref="RunAsync{T}(Func{T}, CancellationToken)" path="/exception"/>
    public T Run<T>(Func<T> write) =>
        _running == this ? write() : RunAsync(write, CancellationToken.None).GetAwaiter().GetResult();

    private void Enqueue(Job job)
    {
        lock (_lock)
        {
            _queue.Enqueue(job);
            if (_threadAlive)
            {
                Monitor.Pulse(_lock);
                return;
            }

            _threadAlive = true;
        }

        new Thread(WriterLoop) { IsBackground = true, Name = $"SQLite writer {Path.GetFileName(File)}" }.Start();
    }

    /// <summary>
    /// Runs queued writes, and checkpoints when none is waiting; exits after <see cref="IdleExit"/>
    /// without work (a later write starts a new thread).
    /// </summary>
    private void WriterLoop()
    {
        _running = this;
        while (true)
        {
            Job? job = null;
            var checkpoint = false;
            lock (_lock)
            {
                if (_queue.Count > 0)
                {
                    job = _queue.Dequeue();
                }
                else if (_sinceCheckpoint >= CheckpointEveryWrites)
                {
                    checkpoint = true;
                }
                else if (!Monitor.Wait(_lock, IdleExit) && _queue.Count == 0)
                {
                    if (_sinceCheckpoint > 0)
                    {
                        checkpoint = true;
                    }
                    else
                    {
                        _threadAlive = false;
                        _running = null;
                        _connection?.Dispose();
                        _connection = null;
                        return;
                    }
                }
            }

            if (checkpoint)
            {
                Checkpoint();
            }
            else if (job is not null)
            {
                Run(job);
            }
        }
    }

    private void Run(Job job)
    {
        var started = Stopwatch.GetTimestamp();
        var waited = Stopwatch.GetElapsedTime(job.Queued, started);
        Waited.Record(waited.TotalMilliseconds);
        if (job.CancellationToken.IsCancellationRequested)
        {
            job.Cancel();
        }
        else if (waited > Timeout)
        {
            job.Fail(Busy());
        }
        else
        {
            job.Execute();
            Held.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _sinceCheckpoint++;
        }
    }

    /// <summary>
    /// A passive checkpoint, on the writer thread's own connection: it copies the WAL back into the
    /// database as far as readers allow and never waits for them. Between writes it completes, so
    /// the next write starts the WAL over instead of growing it. A failure is left to the next
    /// one (and to the connections' auto-checkpoint safety net).
    /// </summary>
    private void Checkpoint()
    {
        var started = Stopwatch.GetTimestamp();
        _sinceCheckpoint = 0;
        try
        {
            using var command = WriterConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
            Interlocked.Increment(ref _checkpoints);
        }
        catch (SqliteException)
        {
            _connection?.Dispose();
            _connection = null;
        }

        Checkpointed.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private SqliteException Busy() =>
        new($"SQLite Error 5: 'database is locked' (this process's writes to {Path.GetFileName(File)} queued longer than {Timeout.TotalSeconds:0} s).", 5);

    private abstract class Job(CancellationToken cancellationToken, long queued)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public long Queued { get; } = queued;

        public abstract void Execute();

        public abstract void Cancel();

        public abstract void Fail(Exception exception);
    }

    private sealed class Job<T>(Func<T> write, CancellationToken cancellationToken, long queued) : Job(cancellationToken, queued)
    {
        // Continuations run on the thread pool, never on the writer thread.
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Execute()
        {
            try
            {
                Completion.SetResult(write());
            }
            catch (Exception exception)
            {
                Completion.SetException(exception);
            }
        }

        public override void Cancel() => Completion.SetCanceled(CancellationToken);

        public override void Fail(Exception exception) => Completion.SetException(exception);
    }
}
