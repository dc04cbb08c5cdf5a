namespace NegotiationHub.Client;

/// <summary>
/// Messages of a session were missed: the client expected <see cref="Expected"/> and received
/// <see cref="Received"/>. Resync with <see cref="NegotiationHubClient.JoinSessionAsync"/>.
/// </summary>
public sealed record SequenceGap
{
    /// <summary>The session whose messages were missed.</summary>
    public required Guid SessionId { get; init; }

    /// <summary>The sequence number that should have come next.</summary>
    public required long Expected { get; init; }

    /// <summary>The sequence number that came instead (greater than <see cref="Expected"/>).</summary>
    public required long Received { get; init; }

    /// <summary>How many messages were missed.</summary>
    public long Missed => Received - Expected;
}
