using NegotiationHub.Data.Entities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

/// <summary>A session in a listing, with the caller's own role in it.</summary>
public sealed record SessionSummary(Guid Id, string Name, SessionState State, BidMode BidMode, int Parties, int CurrentRound, DateTime CreatedUtc, SessionRole? MyRole, int? MyParty);
