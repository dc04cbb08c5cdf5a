using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Sessions;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// <c>/hubs/negotiation</c> (PRODUCT.md). Thin: it names the caller, reads the arguments' wire
/// shape (<see cref="HubArguments"/>) and hands the work to <see cref="RoundService"/>; refusals
/// become <see cref="HubException"/>s in <see cref="HubGuardFilter"/>.
/// </summary>
/// <remarks>
/// The methods are those of <see cref="INegotiationHub"/> with each argument taken as the JSON it
/// arrived as, so a value of the wrong type gets an error naming its field instead of SignalR's
/// generic binding failure. <c>HubShapeTests</c> keeps the names and arities equal to the interface.
/// </remarks>
[Authorize]
public sealed class NegotiationSessionHub(RoundService rounds, Presence presence) : Hub<INegotiationClient>
{
    public async Task<SessionSnapshot> JoinSession(JsonElement sessionId)
    {
        var caller = Me();
        return await JoinAsync(caller, HubArguments.SessionId(sessionId));
    }

    private async Task<SessionSnapshot> JoinAsync(Caller caller, Guid sessionId)
    {
        var snapshot = await rounds.SnapshotAsync(caller, sessionId, Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, RoundService.Group(sessionId), Context.ConnectionAborted);
        presence.Join(sessionId, Context.ConnectionId, new MemberPresence { UserName = caller.UserName, PartyIndex = snapshot.OwnPartyIndex });
        var online = presence.Online(sessionId);
        await Clients.Group(RoundService.Group(sessionId)).PresenceChanged(new PresenceChanged { SessionId = sessionId, Sequence = snapshot.Sequence, Online = online });
        return snapshot with { Online = online };
    }

    public async Task LeaveSession(JsonElement sessionId)
    {
        var id = HubArguments.SessionId(sessionId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoundService.Group(id), Context.ConnectionAborted);
        if (presence.Leave(id, Context.ConnectionId))
        {
            await BroadcastPresenceAsync(id);
        }
    }

    public Task<BidAck> SubmitBid(JsonElement sessionId, JsonElement bid)
    {
        var caller = Me();
        return rounds.SubmitBidAsync(caller, HubArguments.SessionId(sessionId), HubArguments.Bid(bid), Context.ConnectionAborted);
    }

    public Task<RoundOpened> OpenRound(JsonElement sessionId, JsonElement deadlineSeconds)
    {
        var caller = Me();
        return rounds.OpenRoundAsync(caller, HubArguments.SessionId(sessionId), HubArguments.DeadlineSeconds(deadlineSeconds), Context.ConnectionAborted);
    }

    public Task<RoundClosed> CloseRound(JsonElement sessionId)
    {
        var caller = Me();
        return rounds.CloseRoundAsync(caller, HubArguments.SessionId(sessionId), Context.ConnectionAborted);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var sessionId in presence.Disconnect(Context.ConnectionId))
        {
            await BroadcastPresenceAsync(sessionId);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Presence is not state: it carries the session's latest sequence without advancing it.</summary>
    private Task BroadcastPresenceAsync(Guid sessionId) =>
        Clients.Group(RoundService.Group(sessionId)).PresenceChanged(new PresenceChanged
        {
            SessionId = sessionId,
            Sequence = rounds.LastSequence(sessionId),
            Online = presence.Online(sessionId),
        });

    private Caller Me() => Caller.From(Context.User) ?? throw new HubException("Sign in first.");
}
