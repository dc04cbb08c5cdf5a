using System.Diagnostics;

namespace NegotiationHub.Server.Live;

/// <summary>The live sessions' traces and the meter their counters are on (read out by OpenTelemetry).</summary>
public static class LiveTelemetry
{
    /// <summary>The meter of the server's own counters.</summary>
    public const string MeterName = "NegotiationHub.Server";

    /// <summary>The activity source of a hub call's path: the call, the grain's decision, the commit, the broadcast.</summary>
    public const string SourceName = "NegotiationHub.Live";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts an activity of the live path, tagged with its session.</summary>
    public static Activity? Start(string name, Guid sessionId, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = Source.StartActivity(name, kind);
        activity?.SetTag("negotiationhub.session_id", sessionId.ToString("D"));
        return activity;
    }
}
