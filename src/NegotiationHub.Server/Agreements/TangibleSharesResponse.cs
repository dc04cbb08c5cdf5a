
namespace NegotiationHub.Server.Agreements;

/// <summary>The answer to setting the tangible shares: the revised contract and the computation.</summary>
public sealed record TangibleSharesResponse(ContractDetails Contract, TangibleSharesView Tangible);
