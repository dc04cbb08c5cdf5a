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
/// made from inside a write (an interceptor's) runs inline. So does a grain's write to an idle file
/// (no write running or waiting): it runs on the grain's thread as the writer, with the writer's
/// connection, and skips the two hand-overs. SQLite's busy handler is left for other processes on
/// the file (a backup, a second server).
/// <para>
/// The WAL is checkpointed off the queue's path (ADR 0009): every <see cref="CheckpointEveryWrites"/>
/// writes a second thread, with its own connection, runs a passive checkpoint — it copies the WAL
/// back into the database while writes go on. Once the WAL is past <see cref="RestartWalPages"/>,
/// the writer thread, between two writes, runs a short one that copies only the frames written
/// meanwhile, so the next write starts the WAL over instead of growing it. The writer also
/// checkpoints before it exits. Left to SQLite, the commit that crosses the auto-checkpoint
/// threshold copies a thousand pages back and syncs while every queued write waits; connections
/// keep only a far threshold as a safety net (<see cref="SqliteConnectionSetup.AutoCheckpointPages"/>).
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
    private static readonly Histogram<double> Held = Meter.CreateHistogram<double>("negotiationhub.sqlite.write.duration", "ms", "How long a SQLite write ran as the file's writer (its transaction), on the writer thread or inline on its caller's.");
    private static readonly Counter<long> Inlined = Meter.CreateCounter<long>("negotiationhub.sqlite.write.inline", "{write}", "SQLite writes run on their caller's thread because no other write ran or waited.");
    private static readonly Histogram<double> Checkpointed = Meter.CreateHistogram<double>("negotiationhub.sqlite.checkpoint.duration", "ms", "How long a WAL checkpoint ran: on the checkpoint thread beside the writes (thread=checkpointer), or on the writer thread between writes, copying what was written meanwhile (thread=writer).");

    /// <summary>
    /// Writes after which the checkpoint thread checkpoints the WAL beside the writes. A checkpoint
    /// copies each page written since the last one once, however often it was written meanwhile:
    /// a live session's writes touch the same few pages (its row, the tails of the bids and audit
    /// tables and their indexes) again and again, so rarer checkpoints copy fewer pages per write.
    /// At 512 (about 2,500 WAL frames, 10 MB, under 250 × 4 load) the checkpoint thread's share of
    /// the server's CPU halved against 64 (ADR 0009).
    /// </summary>
    public const int CheckpointEveryWrites = 512;

    /// <summary>
    /// WAL pages (4 KiB each: 16 MiB) past which the writer thread, between two writes, checkpoints
    /// what the checkpoint thread left, so the next write starts the WAL over. Each such checkpoint
    /// syncs twice while writes wait; rarer ones keep them out of the write latency's tail.
    /// </summary>
    public const int RestartWalPages = 4096;

    [ThreadStatic]
    private static SqliteWriteGate? _running;

    private readonly object _lock = new();
    private readonly Queue<Job> _queue = new();
    private bool _threadAlive;
    private bool _writing; // under _lock: a write or the writer's checkpoint holds the writer's connection (on the writer thread, or a caller's inline)
    private long _lastWrite = Environment.TickCount64; // under _lock: when the last write or checkpoint ended

    private readonly string _connectionString;
    private readonly string? _pragma;
    // The writer's: used only while _writing is set (on the writer thread, or by a caller writing inline).
    private SqliteConnection? _connection;
    private readonly Dictionary<object, IDisposable> _writerResources = []; // on _connection
    private int _sinceCheckpoint; // writes since the checkpoint thread was last asked
    private bool _unCheckpointed; // writes since the writer's own last checkpoint
    private bool _tailWanted; // under _lock: the checkpoint thread ran on a long WAL; the writer copies what came meanwhile
    private long _checkpoints;

    private readonly object _checkpointLock = new();
    private bool _checkpointWanted; // under _checkpointLock
    private bool _checkpointerAlive; // under _checkpointLock
    private SqliteConnection? _checkpointConnection; // the checkpoint thread's only

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
    public Task<T> RunAsync<T>(Func<T> write, CancellationToken cancellationToken) => RunAsync(write, completeOnWriter: false, cancellationToken);

    /// <summary>
    /// Runs the synchronous <paramref name="write"/> on the file's writer thread with that thread's own
    /// connection, open and kept between writes (so its prepared statements stay prepared); the
    /// write must leave it with no transaction open.
    /// </summary>
    /// <param name="write">The write.</param>
    /// <param name="completeOnWriter">
    /// For a caller that awaits it in a scheduler of its own (a grain's): the write runs inline on the
    /// caller's thread when no write runs or waits, and otherwise completes on the writer thread
    /// itself instead of through the thread pool, the continuation being queued to the caller's
    /// scheduler either way. Anyone else's continuation would run on the writer thread.
    /// </param>
    /// <param name="cancellationToken">Cancels the write if it has not started.</param>
    /// <inheritdoc cref="RunAsync{T}(Func{T}, CancellationToken)" path="/exception"/>
    public Task<T> RunOnWriterAsync<T>(Func<SqliteConnection, T> write, bool completeOnWriter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return RunAsync(() => write(WriterConnection()), completeOnWriter, cancellationToken);
    }

    private Task<T> RunAsync<T>(Func<T> write, bool completeOnWriter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_running == this)
        {
            // A write from inside a write (an interceptor's): the writer is this thread.
            return Task.FromResult(write());
        }

        cancellationToken.ThrowIfCancellationRequested();
        var job = new Job<T>(write, completeOnWriter, cancellationToken, Stopwatch.GetTimestamp());
        if (completeOnWriter && TryRunInline(job))
        {
            return job.Completion.Task;
        }

        Enqueue(job);
        return job.Completion.Task;
    }

    /// <summary>
    /// Runs <paramref name="job"/> on the calling thread, as the writer, if no write runs or waits
    /// and the writer thread has nothing of its own to do; false (nothing run) otherwise. A write to
    /// an idle file then costs no thread hand-over either way (ADR 0009).
    /// </summary>
    private bool TryRunInline(Job job)
    {
        lock (_lock)
        {
            if (_writing || _queue.Count > 0 || _tailWanted)
            {
                return false;
            }

            _writing = true;
        }

        var outer = _running;
        _running = this;
        try
        {
            Run(job);
        }
        finally
        {
            _running = outer;
            lock (_lock)
            {
                EndWrite();
                if (!_threadAlive)
                {
                    StartWriterThread(); // for the writes queued meanwhile, and the idle checkpoint
                }
                else if (_queue.Count > 0 || _tailWanted)
                {
                    Monitor.Pulse(_lock);
                }
            }
        }

        Inlined.Add(1);
        return true;
    }

    /// <summary>The writer thread's connection, opened with the file's pragmas on first use.</summary>
    private SqliteConnection WriterConnection() => Open(ref _connection);

    /// <summary>
    /// Inside a write on the writer thread: what <paramref name="key"/> keeps on the writer's
    /// connection (its prepared statements), created on first use and disposed before the connection closes.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not on this file's writer thread.</exception>
    public T WriterResource<T>(object key, Func<SqliteConnection, T> create)
        where T : class, IDisposable
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(create);
        if (_running != this)
        {
            throw new InvalidOperationException("A writer resource is only for a write on the file's writer thread.");
        }

        if (!_writerResources.TryGetValue(key, out var resource))
        {
            _writerResources[key] = resource = create(WriterConnection());
        }

        return (T)resource;
    }

    private void CloseWriterConnection()
    {
        foreach (var resource in _writerResources.Values)
        {
            resource.Dispose();
        }

        _writerResources.Clear();
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary><paramref name="connection"/>, opened with the file's pragmas if it is not yet.</summary>
    private SqliteConnection Open(ref SqliteConnection? connection)
    {
        if (connection is null)
        {
            var opened = new SqliteConnection(_connectionString);
            opened.Open();
            if (_pragma is not null)
            {
                using var command = opened.CreateCommand();
                command.CommandText = _pragma;
                command.ExecuteNonQuery();
            }

            connection = opened;
        }

        return connection;
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

            StartWriterThread();
        }
    }

    /// <summary>Under <see cref="_lock"/>: the writer's connection is free again, and the idle time counts from now.</summary>
    private void EndWrite()
    {
        _writing = false;
        _lastWrite = Environment.TickCount64;
    }

    /// <summary>Under <see cref="_lock"/>: starts the writer thread (it is not alive).</summary>
    private void StartWriterThread()
    {
        _threadAlive = true;
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
                if (_writing)
                {
                    // A caller writes inline; it pulses when done if work waits for the writer thread.
                    Monitor.Wait(_lock, IdleExit);
                    continue;
                }

                if (_tailWanted)
                {
                    // Between two writes even when more wait: it is short, and a WAL under constant
                    // writes would otherwise never start over.
                    _tailWanted = false;
                    checkpoint = _unCheckpointed;
                }
                else if (_queue.Count > 0)
                {
                    job = _queue.Dequeue();
                }
                else if (Environment.TickCount64 - _lastWrite < IdleExit.TotalMilliseconds)
                {
                    Monitor.Wait(_lock, IdleExit);
                    continue;
                }
                else if (_unCheckpointed)
                {
                    checkpoint = true;
                }
                else
                {
                    _threadAlive = false;
                    _running = null;
                    CloseWriterConnection();
                    return;
                }

                _writing = checkpoint || job is not null;
            }

            try
            {
                if (checkpoint)
                {
                    Checkpoint(WriterConnection, CloseWriterConnection, "writer");
                    _unCheckpointed = false;
                }
                else if (job is not null)
                {
                    Run(job);
                }
            }
            finally
            {
                lock (_lock)
                {
                    EndWrite();
                }
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
            _unCheckpointed = true;
            if (++_sinceCheckpoint >= CheckpointEvery)
            {
                _sinceCheckpoint = 0;
                RequestCheckpoint();
            }
        }
    }

    /// <summary>Asks the checkpoint thread for a checkpoint (starting it if need be); never waits for it.</summary>
    private void RequestCheckpoint()
    {
        lock (_checkpointLock)
        {
            _checkpointWanted = true;
            if (_checkpointerAlive)
            {
                Monitor.Pulse(_checkpointLock);
                return;
            }

            _checkpointerAlive = true;
        }

        new Thread(CheckpointLoop) { IsBackground = true, Name = $"SQLite checkpoint {Path.GetFileName(File)}" }.Start();
    }

    /// <summary>
    /// Runs the requested checkpoints beside the writes, each followed by the writer's short one;
    /// exits after <see cref="IdleExit"/> without a request.
    /// </summary>
    private void CheckpointLoop()
    {
        while (true)
        {
            lock (_checkpointLock)
            {
                if (!_checkpointWanted && !Monitor.Wait(_checkpointLock, IdleExit) && !_checkpointWanted)
                {
                    _checkpointerAlive = false;
                    _checkpointConnection?.Dispose();
                    _checkpointConnection = null;
                    return;
                }

                _checkpointWanted = false;
            }

            BeforeBackgroundCheckpoint?.Invoke();
            var frames = Checkpoint(() => Open(ref _checkpointConnection), () =>
            {
                _checkpointConnection?.Dispose();
                _checkpointConnection = null;
            }, "checkpointer");
            if (frames >= RestartAfterPages)
            {
                lock (_lock)
                {
                    // Frames written while it ran are left; the writer copies them between two writes.
                    _tailWanted = true;
                    Monitor.Pulse(_lock);
                }
            }
        }
    }

    /// <summary>Runs on the checkpoint thread just before each of its checkpoints (tests hold it here).</summary>
    internal Action? BeforeBackgroundCheckpoint { get; set; }

    /// <summary>Writes after which the checkpoint thread is asked for a checkpoint (tests lower it).</summary>
    internal int CheckpointEvery { get; set; } = CheckpointEveryWrites;

    /// <summary>The WAL length, in pages, past which the writer's short checkpoint lets the next write start it over (tests lower it).</summary>
    internal int RestartAfterPages { get; set; } = RestartWalPages;

    /// <summary>
    /// A passive checkpoint on the connection <paramref name="open"/> gives: it copies the WAL back into the database
    /// as far as readers allow and never waits for them, nor for the writer. Returns the WAL's length
    /// in pages (0 after a failure, which is left to the next one and to the connections'
    /// auto-checkpoint safety net).
    /// </summary>
    private long Checkpoint(Func<SqliteConnection> open, Action close, string thread)
    {
        var started = Stopwatch.GetTimestamp();
        long frames = 0;
        try
        {
            using var command = open().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            using (var reader = command.ExecuteReader())
            {
                // busy, pages in the WAL, pages copied back
                frames = reader.Read() ? reader.GetInt64(1) : 0;
            }

            Interlocked.Increment(ref _checkpoints);
        }
        catch (SqliteException)
        {
            close();
        }

        Checkpointed.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("thread", thread));
        return frames;
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

    private sealed class Job<T>(Func<T> write, bool completeOnWriter, CancellationToken cancellationToken, long queued) : Job(cancellationToken, queued)
    {
        // Continuations run on the thread pool, never on the writer thread, unless the caller queues them to its own scheduler.
        public TaskCompletionSource<T> Completion { get; } = new(completeOnWriter ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);

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
