using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Realtime;

/// <summary>The live sessions' rooms as SignalR groups of the negotiation hub, one per session.</summary>
public sealed class HubSessionRooms(IHubContext<NegotiationSessionHub, INegotiationClient> hub) : ISessionRooms
{
    /// <summary>The SignalR group of a session's connections.</summary>
    public static string Group(Guid sessionId) => $"session:{sessionId:N}";

    public INegotiationClient Room(Guid sessionId) => hub.Clients.Group(Group(sessionId));

    public Task JoinAsync(string connectionId, Guid sessionId) => hub.Groups.AddToGroupAsync(connectionId, Group(sessionId));

    public Task LeaveAsync(string connectionId, Guid sessionId) => hub.Groups.RemoveFromGroupAsync(connectionId, Group(sessionId));
}
