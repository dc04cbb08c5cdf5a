
namespace NegotiationHub.Server.Agreements;

/// <summary>What made a revision of a contract.</summary>
public enum ContractRevisionKind
{
    /// <summary>Revision 0: the agreement of a round.</summary>
    Agreement,

    /// <summary>The intangible shares moved toward the optimum of a period (MODEL §5).</summary>
    Revision,

    /// <summary>The tangible shares were set (MODEL §7).</summary>
    Tangible,
}
