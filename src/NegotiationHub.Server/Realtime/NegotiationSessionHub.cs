using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Live;

namespace NegotiationHub.Server.Realtime;

/// <summary>
/// <c>/hubs/negotiation</c> (PRODUCT.md). Thin: it names the caller, reads the arguments' wire
/// shape (<see cref="HubArguments"/>) and calls the session's live grain (<see cref="ILiveSession"/>),
/// which decides and answers; refusals become <see cref="HubException"/>s.
/// </summary>
/// <remarks>
/// The methods are those of <see cref="INegotiationHub"/> with each argument taken as the JSON it
/// arrived as, so a value of the wrong type gets an error naming its field instead of SignalR's
/// generic binding failure. <c>HubShapeTests</c> keeps the names and arities equal to the interface.
/// </remarks>
[Authorize]
public sealed class NegotiationSessionHub(IGrainFactory grains) : Hub<INegotiationClient>
{
    /// <summary>The sessions this connection joined (hub calls of one connection run one at a time).</summary>
    private const string JoinedKey = "nh.joined";
    private const string CallerKey = "nh.caller";
    private const string GrainsKey = "nh.grains";

    public async Task<SessionSnapshot> JoinSession(JsonElement sessionId)
    {
        var caller = Me();
        var id = HubArguments.SessionId(sessionId);
        var snapshot = (await Session(id).Join(caller, Context.ConnectionId)).Unwrap();
        Joined().Add(id);
        return snapshot;
    }

    public async Task LeaveSession(JsonElement sessionId)
    {
        var id = HubArguments.SessionId(sessionId);
        Joined().Remove(id);
        await Session(id).Leave(Context.ConnectionId);
    }

    public async Task<BidAck> SubmitBid(JsonElement sessionId, JsonElement bid)
    {
        var caller = Me();
        var id = HubArguments.SessionId(sessionId);
        var submission = LiveBid.From(HubArguments.Bid(bid));
        using var activity = LiveTelemetry.Start("hub SubmitBid", id, System.Diagnostics.ActivityKind.Server);
        return (await Session(id).SubmitBid(caller, submission)).Unwrap();
    }

    public async Task<RoundOpened> OpenRound(JsonElement sessionId, JsonElement deadlineSeconds)
    {
        var caller = Me();
        var id = HubArguments.SessionId(sessionId);
        var deadline = HubArguments.DeadlineSeconds(deadlineSeconds);
        using var activity = LiveTelemetry.Start("hub OpenRound", id, System.Diagnostics.ActivityKind.Server);
        return (await Session(id).OpenRound(caller, deadline)).Unwrap();
    }

    public async Task<RoundClosed> CloseRound(JsonElement sessionId)
    {
        var caller = Me();
        var id = HubArguments.SessionId(sessionId);
        using var activity = LiveTelemetry.Start("hub CloseRound", id, System.Diagnostics.ActivityKind.Server);
        return (await Session(id).CloseRound(caller)).Unwrap();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var id in Joined())
        {
            await Session(id).Leave(Context.ConnectionId);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>The session's grain reference, made once per connection and session (a reference is only its id; making one encodes the key).</summary>
    private ILiveSession Session(Guid id)
    {
        var known = Item<Dictionary<Guid, ILiveSession>>(GrainsKey);
        if (!known.TryGetValue(id, out var grain))
        {
            // Bounded: a client naming ever new sessions starts the set over every 16.
            if (known.Count >= 16)
            {
                known.Clear();
            }

            known[id] = grain = grains.GetGrain<ILiveSession>(id);
        }

        return grain;
    }

    private HashSet<Guid> Joined() => Item<HashSet<Guid>>(JoinedKey);

    /// <summary>The connection's item under <paramref name="key"/>, created empty on first use (a connection's calls run one at a time).</summary>
    private T Item<T>(string key)
        where T : class, new()
    {
        if (Context.Items[key] is not T item)
        {
            Context.Items[key] = item = new T();
        }

        return item;
    }

    /// <summary>The connection's caller, read from its user once: a connection's user and claims do not change while it lives.</summary>
    private LiveCaller Me()
    {
        if (Context.Items[CallerKey] is not LiveCaller caller)
        {
            Context.Items[CallerKey] = caller = LiveCaller.From(Caller.From(Context.User) ?? throw new HubException("Sign in first."));
        }

        return caller;
    }
}
