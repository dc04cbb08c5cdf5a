using System.Reflection;
using System.Text.Json;
using NegotiationHub.Client.Tests.TestServer;
using NegotiationHub.Contracts;

namespace NegotiationHub.Client.Tests;

/// <summary>The shape of the hub contract: names and JSON as the server and the browser see them.</summary>
public sealed class ContractTests
{
    // SignalR's JSON protocol uses these defaults (camelCase properties).
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void HubMethods_has_a_name_for_every_hub_and_client_method_and_no_other()
    {
        var constants = typeof(HubMethods).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var methods = typeof(INegotiationHub).GetMethods().Concat(typeof(INegotiationClient).GetMethods()).Select(m => m.Name).ToList();

        Assert.Equal(methods.Order(StringComparer.Ordinal), constants.Keys.Order(StringComparer.Ordinal));
        Assert.All(constants, c => Assert.Equal(c.Key, c.Value));
    }

    [Fact]
    public void Every_client_method_takes_one_session_message_and_returns_a_task()
    {
        Assert.All(typeof(INegotiationClient).GetMethods(), method =>
        {
            Assert.Equal(typeof(Task), method.ReturnType);
            var parameter = Assert.Single(method.GetParameters());
            Assert.True(typeof(ISessionMessage).IsAssignableFrom(parameter.ParameterType), $"{method.Name} takes a {parameter.ParameterType.Name}.");
            Assert.Equal(method.Name, parameter.ParameterType.Name);
        });
    }

    [Fact]
    public void The_hub_path_is_the_public_one()
    {
        Assert.Equal("/hubs/negotiation", HubRoutes.Negotiation);
    }

    [Fact]
    public void Enums_travel_as_camelCase_names()
    {
        var json = JsonSerializer.Serialize(new PartyView { Index = 1, Name = "Lab", Category = PartyCategory.University, Power = 0.4, DisagreementPoint = 5 }, Web);

        Assert.Equal("""{"index":1,"name":"Lab","category":"university","power":0.4,"disagreementPoint":5}""", json);
    }

    [Fact]
    public void Enum_numbers_are_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PartyView>(
            """{"index":1,"name":"Lab","category":2,"power":0.4,"disagreementPoint":5}""", Web));
    }

    [Fact]
    public void A_message_without_a_required_member_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BidSubmission>("""{"bidId":"5d8f0a3e-2b1c-4e6f-9a7d-0c1b2a3d4e5f","round":1}""", Web));
    }

    [Fact]
    public void A_snapshot_survives_a_json_round_trip()
    {
        var snapshot = EchoNegotiationHub.Snapshot(Guid.NewGuid(), 42, EchoNegotiationHub.FixedTime);

        var copy = JsonSerializer.Deserialize<SessionSnapshot>(JsonSerializer.Serialize(snapshot, Web), Web);

        Assert.Equivalent(snapshot, copy, strict: true);
    }
}
