using NegotiationHub.Data.Entities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

public sealed record RoundSummary(int Number, RoundState State, DateTime OpenedUtc, DateTime DeadlineUtc, DateTime? ClosedUtc, RoundCloseReason? CloseReason, bool? Compatible, double? NashEfficiency, double? Distance);
