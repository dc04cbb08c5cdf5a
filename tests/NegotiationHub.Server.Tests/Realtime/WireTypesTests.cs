using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// The browser client's wire types (<c>ClientApp/src/wire.ts</c>) are written by hand: this keeps
/// them equal to the hub contract (<c>NegotiationHub.Contracts</c>), field by field, so a field
/// renamed, added or dropped on one side only fails here instead of in a browser.
/// </summary>
public sealed partial class WireTypesTests
{
    private static readonly Assembly Contract = typeof(INegotiationHub).Assembly;

    public static TheoryData<string> ContractRecords => [.. Contract.GetExportedTypes()
        .Where(t => t.IsClass && t.Namespace == typeof(INegotiationHub).Namespace && t.GetProperties().Length > 0 && !t.Name.StartsWith("Echo", StringComparison.Ordinal)
            && !t.IsGenericTypeDefinition && !typeof(Delegate).IsAssignableFrom(t) && !t.IsAbstract)
        .Select(t => t.Name)
        .Where(name => Interfaces().ContainsKey(name))];

    [Fact]
    public void Every_message_and_view_of_the_contract_has_its_interface_in_wire_ts()
    {
        string[] messages = [nameof(SessionSnapshot), nameof(RoundOpened), nameof(BidAccepted), nameof(RoundClosed), nameof(AgreementReached),
            nameof(ContractRevised), nameof(PresenceChanged), nameof(BidAck), nameof(RoundView), nameof(RoundBidView), nameof(RoundAnalysisView),
            nameof(PartyRoundView), nameof(AgreementView), nameof(ContractView), nameof(PartyView), nameof(MemberPresence)];
        Assert.All(messages, name => Assert.True(Interfaces().ContainsKey(name), $"wire.ts has no interface {name}"));
    }

    [Theory]
    [MemberData(nameof(ContractRecords))]
    public void A_contract_record_and_its_wire_ts_interface_have_the_same_fields(string name)
    {
        var type = Contract.GetExportedTypes().Single(t => t.Name == name);
        var expected = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, Fields(name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("SessionState", typeof(SessionState))]
    [InlineData("BidMode", typeof(BidMode))]
    public void A_contract_enum_and_its_wire_ts_union_have_the_same_values(string union, Type type)
    {
        var match = Regex.Match(WireTs(), $@"export type {union} = ([^;]+);");
        Assert.True(match.Success, $"wire.ts has no type {union}");
        var values = Regex.Matches(match.Groups[1].Value, "'([^']+)'").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        Assert.Equal(Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName).Order(StringComparer.Ordinal), values);
    }

    /// <summary>The fields of a wire.ts interface, with those of the interface it extends.</summary>
    private static IEnumerable<string> Fields(string name)
    {
        var (extends, body) = Interfaces()[name];
        var own = FieldPattern().Matches(body).Select(m => m.Groups[1].Value);
        return extends is null ? own : own.Concat(Fields(extends));
    }

    private static Dictionary<string, (string? Extends, string Body)> Interfaces() =>
        InterfacePattern().Matches(WireTs()).ToDictionary(
            m => m.Groups[1].Value,
            m => (m.Groups[2].Success ? m.Groups[2].Value : null, m.Groups[3].Value));

    private static string WireTs()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NegotiationHub.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return File.ReadAllText(Path.Combine(dir.FullName, "src", "NegotiationHub.Server", "ClientApp", "src", "wire.ts"));
    }

    [GeneratedRegex(@"export interface (\w+)(?:<\w+>)?(?: extends (\w+))? \{([^}]*(?:\{[^}]*\}[^}]*)*)\}", RegexOptions.Singleline)]
    private static partial Regex InterfacePattern();

    // A field at the interface's top level: "name:" or "name?:" after the opening brace, a semicolon or a line break.
    [GeneratedRegex(@"(?:^|[;{\n])\s*(\w+)\??:", RegexOptions.Multiline)]
    private static partial Regex FieldPattern();
}
