namespace NegotiationHub.Contracts;

/// <summary>The demands became compatible and a contract was made (broadcast).</summary>
public sealed record AgreementReached : ISessionMessage
{
    /// <inheritdoc />
    public required Guid SessionId { get; init; }

    /// <inheritdoc />
    public required long Sequence { get; init; }

    /// <summary>The agreement.</summary>
    public required AgreementView Agreement { get; init; }
}

/// <summary>An agreement: how the pool K was divided (MODEL §4).</summary>
public sealed record AgreementView
{
    /// <summary>The round whose demands were compatible.</summary>
    public required int Round { get; init; }

    /// <summary>k_i per party (by index): D_i plus a share of the surplus −g in proportion to h_i; sums to K.</summary>
    public required IReadOnlyList<double> Allocation { get; init; }

    /// <summary>k_i/K per party; sums to 1.</summary>
    public required IReadOnlyList<double> Shares { get; init; }

    /// <summary>The contract the agreement made.</summary>
    public required Guid ContractId { get; init; }

    /// <summary>When the agreement was reached (server clock).</summary>
    public required DateTimeOffset ReachedUtc { get; init; }
}

/// <summary>The session's contract was revised (broadcast; MODEL §5).</summary>
public sealed record ContractRevised : ISessionMessage
{
    /// <inheritdoc />
    public required Guid SessionId { get; init; }

    /// <inheritdoc />
    public required long Sequence { get; init; }

    /// <summary>The contract as revised.</summary>
    public required ContractView Contract { get; init; }

    /// <summary>s*, the shares of the NBS under the new powers; every revised share lies between the old one and this.</summary>
    public required IReadOnlyList<double> OptimalShares { get; init; }
}

/// <summary>One revision of a contract (MODEL §5, §7).</summary>
public sealed record ContractView
{
    /// <summary>The contract.</summary>
    public required Guid ContractId { get; init; }

    /// <summary>The revision number: 0 as agreed, then 1, 2, … (every revision is kept).</summary>
    public required int Revision { get; init; }

    /// <summary>s_i, the intangible shares per party (by index); sum to 1.</summary>
    public required IReadOnlyList<double> Shares { get; init; }

    /// <summary>The tangible shares per party once they are set (MODEL §7); sum to 1.</summary>
    public IReadOnlyList<double>? TangibleShares { get; init; }

    /// <summary>When this revision took effect (server clock).</summary>
    public required DateTimeOffset EffectiveUtc { get; init; }
}
