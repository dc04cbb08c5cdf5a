using System.Reflection;
using System.Text.Json;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Realtime;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// The hub takes its arguments as raw JSON (<see cref="HubArguments"/>), so it no longer implements
/// <see cref="INegotiationHub"/> by type; this keeps its methods the interface's, name by name.
/// </summary>
public sealed class HubShapeTests
{
    [Fact]
    public void The_hub_has_exactly_the_contract_methods_with_the_same_parameters_and_results()
    {
        var hub = typeof(NegotiationSessionHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name != nameof(NegotiationSessionHub.OnDisconnectedAsync))
            .ToDictionary(m => m.Name);
        var contract = typeof(INegotiationHub).GetMethods();

        Assert.Equal(contract.Select(m => m.Name).Order(), hub.Keys.Order());
        foreach (var method in contract)
        {
            var served = hub[method.Name];
            Assert.Equal(method.ReturnType, served.ReturnType);
            Assert.Equal(method.GetParameters().Select(p => p.Name), served.GetParameters().Select(p => p.Name));
            Assert.All(served.GetParameters(), p => Assert.Equal(typeof(JsonElement), p.ParameterType));
        }
    }
}
