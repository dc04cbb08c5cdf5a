using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Data.Sqlite;
using NegotiationHub.Data.Entities;
using SQLitePCL;

namespace NegotiationHub.Data;

/// <summary>
/// The SQLite file's side of the row writer (ADR 0020): on the writer thread's connection the
/// statements are prepared once in SQLite itself and each value is bound straight from the entity
/// — typed, converted as the column's EF type mapping converts it, and represented exactly as
/// Microsoft.Data.Sqlite represents it — instead of through a command, a boxed parameter value
/// and a binder object per parameter per execution.
/// </summary>
public sealed partial class RowWriter
{
    private const int SqliteOk = 0;
    private const int SqliteConstraint = 19;
    private const int SqliteRow = 100;
    private const int SqliteDone = 101;

    private static bool WriteNative(Target target, SqliteConnection connection, NativeStatements native, IReadOnlyList<RowChange> changes, IReadOnlyList<AuditEntry> entries)
    {
        foreach (var interceptor in target.Interceptors)
        {
            interceptor.Writing(connection, changes, entries);
        }

        var statements = target.Statements;
        native.Execute(native.Begin);
        var committed = false;
        try
        {
            for (var c = 0; c < changes.Count; c++) // indexed: a foreach over the interface boxes its enumerator
            {
                var change = changes[c];
                if (statements.For(change) is not { } statement)
                {
                    continue; // nothing changed
                }

                var prepared = native.Get(statement);
                statement.BindNative(prepared, change.Entity, change.Original);
                if (native.Execute(prepared) != SqliteDone || native.Changes != 1)
                {
                    return false; // a key is taken, or the row moved on (its concurrency token) or is gone
                }
            }

            var audit = statements.Table(typeof(AuditEntry)).Insert;
            var insert = native.Get(audit);
            for (var e = 0; e < entries.Count; e++)
            {
                audit.BindNative(insert, entries[e], null);
                if (native.Execute(insert) != SqliteDone)
                {
                    return false; // the chain grew: its sequence is taken
                }
            }

            committed = native.Execute(native.Commit) == SqliteDone;
            return committed;
        }
        finally
        {
            if (!committed)
            {
                native.RollBack();
            }
        }
    }

    /// <summary>The statements prepared on the writer thread's connection; finalized before it closes.</summary>
    private sealed class NativeStatements : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly Dictionary<Statement, sqlite3_stmt> _prepared = [];
        private readonly sqlite3_stmt _rollback;

        public NativeStatements(SqliteConnection connection)
        {
            _db = connection.Handle ?? throw new InvalidOperationException("The writer's connection is not open.");
            Begin = Prepare("BEGIN IMMEDIATE");
            Commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
        }

        public sqlite3_stmt Begin { get; }

        public sqlite3_stmt Commit { get; }

        /// <summary>Rolls the open transaction back, if SQLite has not already (it does after some errors); never throws.</summary>
        public void RollBack()
        {
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                raw.sqlite3_step(_rollback);
                raw.sqlite3_reset(_rollback);
            }
        }

        /// <summary>Rows the last statement inserted or updated.</summary>
        public int Changes => raw.sqlite3_changes(_db);

        public sqlite3_stmt Get(Statement statement)
        {
            if (!_prepared.TryGetValue(statement, out var prepared))
            {
                _prepared[statement] = prepared = Prepare(statement.Sql);
                statement.CheckNativeIndexes(prepared);
            }

            return prepared;
        }

        /// <summary>Steps the statement once and resets it: SQLITE_DONE, or SQLITE_CONSTRAINT (a key taken); any other error throws.</summary>
        public int Execute(sqlite3_stmt statement)
        {
            var rc = raw.sqlite3_step(statement);
            try
            {
                if (rc is not (SqliteDone or SqliteRow) && (rc & 0xFF) != SqliteConstraint)
                {
                    SqliteException.ThrowExceptionForRC(rc, _db);
                }

                return rc & 0xFF;
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }

        public void Dispose()
        {
            foreach (var prepared in _prepared.Values)
            {
                prepared.Dispose();
            }

            _prepared.Clear();
            Begin.Dispose();
            Commit.Dispose();
            _rollback.Dispose();
        }

        private sqlite3_stmt Prepare(string sql)
        {
            var rc = raw.sqlite3_prepare_v2(_db, sql, out var prepared);
            SqliteException.ThrowExceptionForRC(rc, _db);
            return prepared;
        }
    }

    /// <summary>Binds parameter <c>index</c> (1-based) of a prepared statement to a row's value.</summary>
    private delegate void NativeBinder(sqlite3_stmt statement, int index, object row);

    /// <summary>
    /// The binder of a column: reads the property typed (no boxing), converts it with the type
    /// mapping's converter, and binds it as Microsoft.Data.Sqlite's binder would
    /// (<c>SqliteValueBinder</c>): integers and booleans as INTEGER, doubles as REAL (NaN refused),
    /// strings as TEXT (cut to the parameter's size, if it has one), times as
    /// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> TEXT, GUIDs as upper-case TEXT, null as NULL.
    /// </summary>
    private static NativeBinder NativeBinderOf(Column column)
    {
        var property = column.Property;
        var member = (MemberInfo?)property.PropertyInfo ?? property.FieldInfo
            ?? throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name}: a row writer needs a CLR property.");
        using var probe = new SqliteCommand();
        var parameter = (SqliteParameter)column.TypeMapping.CreateParameter(probe, "p", null, property.IsNullable);

        var statement = Expression.Parameter(typeof(sqlite3_stmt), "statement");
        var index = Expression.Parameter(typeof(int), "index");
        var row = Expression.Parameter(typeof(object), "row");
        Expression value = Expression.MakeMemberAccess(Expression.Convert(row, member.DeclaringType!), member);

        Expression? isNull = null;
        if (Nullable.GetUnderlyingType(value.Type) is not null)
        {
            isNull = Expression.Not(Expression.Property(value, "HasValue"));
            value = Expression.Property(value, "Value");
        }
        else if (!value.Type.IsValueType)
        {
            isNull = Expression.Equal(value, Expression.Constant(null, value.Type));
        }

        if (column.TypeMapping.Converter is { } converter)
        {
            var convert = converter.ConvertToProviderExpression;
            value = Expression.Invoke(convert, value.Type == convert.Parameters[0].Type ? value : Expression.Convert(value, convert.Parameters[0].Type));
        }

        if (value.Type.IsEnum)
        {
            value = Expression.Convert(value, Enum.GetUnderlyingType(value.Type));
        }

        var type = value.Type;
        Expression bind;
        if (type == typeof(string))
        {
            bind = Call(nameof(BindText), statement, index, value, Expression.Constant(parameter.Size > 0 ? parameter.Size : -1));
        }
        else if (type == typeof(DateTime) && parameter.SqliteType != SqliteType.Real)
        {
            bind = Call(nameof(BindTime), statement, index, value);
        }
        else if (type == typeof(Guid) && parameter.SqliteType != SqliteType.Blob)
        {
            bind = Call(nameof(BindGuid), statement, index, value);
        }
        else if (type == typeof(double) || type == typeof(float))
        {
            bind = Call(nameof(BindDouble), statement, index, Expression.Convert(value, typeof(double)));
        }
        else if (type == typeof(bool))
        {
            bind = Call(nameof(BindInteger), statement, index, Expression.Condition(value, Expression.Constant(1L), Expression.Constant(0L)));
        }
        else if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint))
        {
            bind = Call(nameof(BindInteger), statement, index, Expression.Convert(value, typeof(long)));
        }
        else
        {
            throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name}: the row writer does not bind {type.Name} ({parameter.SqliteType}) to SQLite.");
        }

        if (isNull is not null)
        {
            bind = Expression.Condition(isNull, Call(nameof(BindNull), statement, index), bind);
        }

        return Expression.Lambda<NativeBinder>(bind, statement, index, row).Compile();
    }

    private static MethodCallExpression Call(string method, params Expression[] arguments) =>
        Expression.Call(typeof(RowWriter).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!, arguments);

    private static void BindNull(sqlite3_stmt statement, int index) => Check(raw.sqlite3_bind_null(statement, index));

    private static void BindInteger(sqlite3_stmt statement, int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    private static void BindDouble(sqlite3_stmt statement, int index, double value) =>
        Check(double.IsNaN(value) ? throw new InvalidOperationException("Cannot store 'NaN' values.") : raw.sqlite3_bind_double(statement, index, value));

    private static void BindText(sqlite3_stmt statement, int index, string value, int size) =>
        Check(raw.sqlite3_bind_text16(statement, index, size >= 0 && value.Length > size ? value.AsSpan(0, size) : value.AsSpan()));

    private static void BindTime(sqlite3_stmt statement, int index, DateTime value)
    {
        Span<char> text = stackalloc char[32];
        if (!value.TryFormat(text, out var length, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A time did not format.");
        }

        Check(raw.sqlite3_bind_text16(statement, index, text[..length]));
    }

    private static void BindGuid(sqlite3_stmt statement, int index, Guid value)
    {
        Span<char> text = stackalloc char[36];
        value.TryFormat(text, out _);
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.ToUpperInvariant(text[i]);
        }

        Check(raw.sqlite3_bind_text16(statement, index, text));
    }

    private static void Check(int rc)
    {
        if (rc != SqliteOk)
        {
            throw new InvalidOperationException($"SQLite refused a bound value (error {rc}).");
        }
    }
}
