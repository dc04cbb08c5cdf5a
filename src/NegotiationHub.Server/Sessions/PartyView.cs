using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

public sealed record PartyView(int Index, string Name, PartyCategory Category, UtilityKind UtilityKind, double? UtilityParameter, double Disagreement);
