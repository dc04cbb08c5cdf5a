using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Live;

/// <summary>The caller of a live-session call, as the grain needs it.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveCaller(
    [property: Id(0)] string UserId,
    [property: Id(1)] string UserName,
    [property: Id(2)] string[] Roles)
{
    public static LiveCaller From(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(caller.UserId, caller.UserName, [.. caller.Roles]);
    }

    public Caller ToCaller() => new(UserId, UserName, Roles.ToHashSet(StringComparer.Ordinal));
}

/// <summary>A bid whose wire shape the hub has read (<c>Realtime/HubArguments</c>); its values are decided in the grain.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveBid(
    [property: Id(0)] Guid BidId,
    [property: Id(1)] int Round,
    [property: Id(2)] double Demand,
    [property: Id(3)] double[]? Proposal)
{
    public static LiveBid From(BidSubmission bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return new(bid.BidId, bid.Round, bid.Demand, bid.Proposal?.ToArray());
    }

    public BidSubmission ToSubmission() => new() { BidId = BidId, Round = Round, Demand = Demand, Proposal = Proposal };
}

/// <summary>A live-session call's result, or its refusal in the words the caller gets (nothing was written).</summary>
[GenerateSerializer, Immutable]
public sealed record LiveReply<T>(
    [property: Id(0)] T? Value,
    [property: Id(1)] string? Refusal)
{
    /// <summary>The value, or a <see cref="Microsoft.AspNetCore.SignalR.HubException"/> with the refusal.</summary>
    public T Unwrap() => Refusal is null ? Value! : throw new Microsoft.AspNetCore.SignalR.HubException(Refusal);
}

public static class LiveReply
{
    public static LiveReply<T> Ok<T>(T value) => new(value, null);

    public static LiveReply<T> Refused<T>(string refusal) => new(default, refusal);
}
