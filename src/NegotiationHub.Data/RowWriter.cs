using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using Npgsql;

namespace NegotiationHub.Data;

/// <summary>A row a write adds (<see cref="Original"/> null), or changes from the values <see cref="Original"/> holds.</summary>
public readonly record struct RowChange(object Entity, object? Original)
{
    public static RowChange Added(object entity) => new(entity ?? throw new ArgumentNullException(nameof(entity)), null);

    /// <summary>The row as it is to be; <paramref name="original"/> (the same type) as the state it was decided on holds it. Its concurrency tokens must still match.</summary>
    public static RowChange Modified(object entity, object original)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(original);
        return entity.GetType() == original.GetType() ? new(entity, original) : throw new ArgumentException("The original is not of the row's type.", nameof(original));
    }
}

/// <summary>
/// Sees each <see cref="RowWriter"/> write on its connection before the write's transaction begins,
/// as a <c>SaveChangesInterceptor</c> sees a save; throwing fails the write with nothing written.
/// A context's interceptors (<c>AddInterceptors</c>) that implement it see the writes made with its options.
/// </summary>
public interface IRowWriteInterceptor
{
    void Writing(DbConnection connection, IReadOnlyList<RowChange> changes, IReadOnlyList<AuditEntry> entries);
}

/// <summary>
/// Writes rows and audit entries in one transaction with statements built once from EF Core's own
/// model — its tables, columns and type mappings, so a row is stored exactly as a <c>SaveChanges</c>
/// would store it — instead of running EF's change tracker and update pipeline for every write
/// (ADR 0020). The audit entries get the same row records a save records (<see cref="AuditRows"/>).
/// On a SQLite file the write runs on the file's writer thread, on that thread's own connection,
/// whose commands stay prepared between writes; on PostgreSQL on a pooled connection.
/// </summary>
public sealed partial class RowWriter(IDbContextFactory<NegotiationDbContext> dbFactory)
{
    private static readonly ConcurrentDictionary<string, Statements> ByProvider = new(StringComparer.Ordinal);
    private Target? _target;

    /// <summary>
    /// Commits <paramref name="changes"/> (in order) and then <paramref name="entries"/> (each chain's
    /// last entry records the rows), or nothing: false when the database refused the write as stale —
    /// a modified row is not at its original concurrency token (or gone), or a key is taken. A busy
    /// database throws, with nothing written.
    /// </summary>
    public async Task<bool> WriteAsync(IReadOnlyList<RowChange> changes, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(entries);
        var target = _target ??= await TargetAsync(cancellationToken);
        AuditRows.Record(target.Model, changes, entries);
        if (target.Gate is { } gate)
        {
            // Awaited here in the caller's own scheduler (a grain's), if it has one: the writer thread
            // then queues the continuation there itself, without a thread-pool hop on the way.
            var ownScheduler = SynchronizationContext.Current is not null || TaskScheduler.Current != TaskScheduler.Default;
            return await gate.RunOnWriterAsync(
                connection => WriteNative(target, connection, gate.WriterResource(this, c => new NativeStatements(c)), changes, entries),
                completeOnWriter: ownScheduler,
                cancellationToken);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        using var commands = new CommandSet();
        return await Write(target, db.Database.GetDbConnection(), commands, changes, entries, cancellationToken);
    }

    /// <summary>What every write needs from the contexts' options, read once from one: the model, the statements, the SQLite file's writer (null on PostgreSQL), the interceptors.</summary>
    private async Task<Target> TargetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new Target(
            db.Model,
            ByProvider.GetOrAdd(db.Database.ProviderName ?? "", _ => new Statements(db)),
            SqliteWriteGate.For(db),
            [.. db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<IRowWriteInterceptor>() ?? []]);
    }

    private sealed record Target(IModel Model, Statements Statements, SqliteWriteGate? Gate, IRowWriteInterceptor[] Interceptors);

    private static async Task<bool> Write(Target target, DbConnection connection, CommandSet commands, IReadOnlyList<RowChange> changes, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var statements = target.Statements;
        foreach (var interceptor in target.Interceptors)
        {
            interceptor.Writing(connection, changes, entries);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var change in changes)
            {
                if (statements.For(change) is not { } statement)
                {
                    continue; // nothing changed
                }

                var command = commands.Get(statement, connection);
                command.Transaction = transaction;
                statement.Bind(command, change.Entity, change.Original);
                if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    return false; // the row moved on (its concurrency token) or is gone; disposing rolls back
                }
            }

            var audit = statements.Table(typeof(AuditEntry)).Insert;
            foreach (var entry in entries)
            {
                var command = commands.Get(audit, connection);
                command.Transaction = transaction;
                audit.Bind(command, entry, null);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException exception) when (IsConstraint(exception))
        {
            return false; // a key is taken (a bid id used before, the chain grew): nothing written
        }
    }

    /// <summary>A unique, foreign-key or not-null constraint refused the row.</summary>
    private static bool IsConstraint(DbException exception) => exception switch
    {
        SqliteException e => e.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        PostgresException e => e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.NotNullViolation,
        _ => false,
    };

    /// <summary>The statements of one provider, built from the model once.</summary>
    private sealed class Statements(NegotiationDbContext db)
    {
        private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();
        private readonly IModel _model = db.Model;
        private readonly ConcurrentDictionary<Type, TableStatements> _tables = new();

        public TableStatements Table(Type type) => _tables.GetOrAdd(type, static (t, self) => new TableStatements(
            self._model.FindEntityType(t) ?? throw new InvalidOperationException($"{t.Name} is not an entity of the model."), self._sql), this);

        /// <summary>The statement that writes <paramref name="change"/>: its table's insert, or the update of the columns it changes (null if none).</summary>
        public Statement? For(RowChange change)
        {
            var table = Table(change.Entity.GetType());
            return change.Original is { } original ? table.Update(change.Entity, original) : table.Insert;
        }
    }

    /// <summary>One table's insert, and its updates by the set of columns they change.</summary>
    private sealed class TableStatements
    {
        private readonly Column[] _columns;
        private readonly Column[] _key;
        private readonly Column[] _tokens;
        private readonly string _table;
        private readonly ISqlGenerationHelper _sql;
        private readonly ConcurrentDictionary<ulong, Statement> _updates = new();

        public TableStatements(IEntityType type, ISqlGenerationHelper sql)
        {
            _sql = sql;
            var mapping = type.GetTableMappings().Single();
            _table = sql.DelimitIdentifier(mapping.Table.Name, mapping.Table.Schema);
            _columns = [.. mapping.ColumnMappings.Select(m => new Column(m.Property, m.Property.GetGetter(), m.TypeMapping, sql.DelimitIdentifier(m.Column.Name), PropertyValues.Same(m.Property)))];
            if (_columns.Length > 64 || _columns.Any(c => c.Property.IsShadowProperty()))
            {
                throw new NotSupportedException($"{type.DisplayName()}: a row writer needs at most 64 columns, each a CLR property.");
            }

            _key = [.. _columns.Where(c => c.Property.IsPrimaryKey())];
            _tokens = [.. _columns.Where(c => c.Property.IsConcurrencyToken)];
            // A store-generated numeric key (the audit entries' id) is the database's to give.
            var inserted = _columns.Where(c => !(c.Property.IsPrimaryKey() && c.Property.ValueGenerated == ValueGenerated.OnAdd && c.Property.ClrType == typeof(long))).ToArray();
            Insert = new Statement(
                $"INSERT INTO {_table} ({string.Join(", ", inserted.Select(c => c.Name))}) VALUES ({string.Join(", ", inserted.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + i)))})",
                [.. inserted.Select(c => new Parameter(c, FromOriginal: false))], sql);
        }

        public Statement Insert { get; }

        /// <summary>The update that moves <paramref name="original"/> to <paramref name="entity"/>, or null if no column changes.</summary>
        public Statement? Update(object entity, object original)
        {
            var mask = 0UL;
            for (var i = 0; i < _columns.Length; i++)
            {
                var c = _columns[i];
                if (!c.Property.IsPrimaryKey() && !c.Same(entity, original))
                {
                    mask |= 1UL << i;
                }
            }

            return mask == 0 ? null : _updates.GetOrAdd(mask, BuildUpdate);
        }

        private Statement BuildUpdate(ulong mask)
        {
            var set = _columns.Where((_, i) => (mask & (1UL << i)) != 0).ToArray();
            var parameters = new List<Parameter>();
            var text = new StringBuilder($"UPDATE {_table} SET ");
            text.AppendJoin(", ", set.Select(c => $"{c.Name} = {Next(parameters, c, false)}"));
            text.Append(" WHERE ");
            text.AppendJoin(" AND ", _key.Select(c => $"{c.Name} = {Next(parameters, c, false)}")
                .Concat(_tokens.Select(c => $"{c.Name} = {Next(parameters, c, true)}")));
            return new Statement(text.ToString(), [.. parameters], _sql);
        }

        private string Next(List<Parameter> parameters, Column column, bool fromOriginal)
        {
            parameters.Add(new Parameter(column, fromOriginal));
            return _sql.GenerateParameterNamePlaceholder("p" + (parameters.Count - 1));
        }
    }

    private sealed record Column(IProperty Property, IClrPropertyGetter Getter, RelationalTypeMapping TypeMapping, string Name, Func<object, object, bool> Same);

    private sealed record Parameter(Column Column, bool FromOriginal);

    /// <summary>A statement's text and where each parameter's value comes from.</summary>
    private sealed class Statement(string sql, Parameter[] parameters, ISqlGenerationHelper helper)
    {
        private readonly string[] _names = [.. parameters.Select((_, i) => helper.GenerateParameterName("p" + i))];
        private NativeBinder[]? _native;

        public string Sql { get; } = sql;

        /// <summary>Sets a prepared SQLite statement's parameters to the row's values (<see cref="NativeBinderOf"/>).</summary>
        public void BindNative(SQLitePCL.sqlite3_stmt statement, object entity, object? original)
        {
            var binders = _native ??= [.. parameters.Select(p => NativeBinderOf(p.Column))];
            for (var i = 0; i < binders.Length; i++)
            {
                binders[i](statement, i + 1, parameters[i].FromOriginal ? original! : entity);
            }
        }

        /// <summary>Throws unless SQLite numbers the statement's parameters in the order they are bound.</summary>
        public void CheckNativeIndexes(SQLitePCL.sqlite3_stmt statement)
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (SQLitePCL.raw.sqlite3_bind_parameter_index(statement, _names[i]) != i + 1)
                {
                    throw new InvalidOperationException($"Parameter {_names[i]} of \"{Sql}\" is not number {i + 1}.");
                }
            }
        }

        public DbCommand Create(DbConnection connection)
        {
            var command = connection.CreateCommand();
            command.CommandText = Sql;
            for (var i = 0; i < parameters.Length; i++)
            {
                var column = parameters[i].Column;
                command.Parameters.Add(column.TypeMapping.CreateParameter(command, _names[i], null, column.Property.IsNullable));
            }

            return command;
        }

        /// <summary>Sets the parameters to the row's values, converted as the column's type mapping converts them.</summary>
        public void Bind(DbCommand command, object entity, object? original)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var (column, fromOriginal) = parameters[i];
                var value = column.Getter.GetClrValue(fromOriginal ? original! : entity);
                if (value is not null && column.TypeMapping.Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                else if (value is Enum)
                {
                    value = Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture);
                }

                command.Parameters[i].Value = value ?? DBNull.Value;
            }
        }
    }

    /// <summary>The commands of one connection, created on first use.</summary>
    private sealed class CommandSet : IDisposable
    {
        private readonly Dictionary<Statement, DbCommand> _commands = [];

        public DbCommand Get(Statement statement, DbConnection connection)
        {
            if (!_commands.TryGetValue(statement, out var command))
            {
                _commands[statement] = command = statement.Create(connection);
            }

            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
        }
    }
}
