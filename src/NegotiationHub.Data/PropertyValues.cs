using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Metadata;

namespace NegotiationHub.Data;

/// <summary>A property's values compared across two rows without a change tracker (<see cref="RowWriter"/>, <see cref="Audit.AuditRows"/>).</summary>
internal static class PropertyValues
{
    /// <summary>Whether two rows of the property's type hold equal values in it, compared typed (<c>EqualityComparer&lt;T&gt;.Default</c>, as <c>Equals</c> on the boxed values would) without boxing them.</summary>
    public static Func<object, object, bool> Same(IProperty property)
    {
        var member = (MemberInfo?)property.PropertyInfo ?? property.FieldInfo
            ?? throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name}: a row without a change tracker needs a CLR property.");
        var a = Expression.Parameter(typeof(object), "a");
        var b = Expression.Parameter(typeof(object), "b");
        Expression Read(ParameterExpression row) =>
            Expression.MakeMemberAccess(Expression.Convert(row, member.DeclaringType!), member);
        var type = property.ClrType;
        var comparer = typeof(EqualityComparer<>).MakeGenericType(type);
        var equals = Expression.Call(
            Expression.Property(null, comparer, nameof(EqualityComparer<int>.Default)),
            comparer.GetMethod(nameof(EqualityComparer<int>.Equals), [type, type])!,
            Read(a),
            Read(b));
        return Expression.Lambda<Func<object, object, bool>>(equals, a, b).Compile();
    }
}
