using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Persistence;

namespace NegotiationHub.Server.Live;

/// <summary>The words a live-session call's caller gets when it fails (the hub sends them as a <see cref="HubException"/>).</summary>
public static class LiveRefusals
{
    /// <summary>
    /// What a caller is told about a call that failed: the refusal's own words (what was wrong;
    /// nothing was written), or a plain sentence for a failure of ours, which is logged.
    /// </summary>
    public static string Describe(Exception exception, string call, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(log);
        switch (exception)
        {
            case HubException hub:
                return hub.Message;
            case ModelValidationException validation:
                return $"Invalid input — {validation.Message}";
            case SessionException session:
                return session.Message;
            case DbUpdateConcurrencyException:
                return "The session changed at the same moment; fetch a snapshot and try again.";
            case Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException or TimeoutException:
                // The grain's node died or is being declared dead; the cluster activates it elsewhere (ADR 0019).
                log.LogWarning(exception, "Hub call {Method} found the session's node unavailable", call);
                return NegotiationHub.Contracts.HubErrors.SessionMoving;
            default:
                if (StoreFailures.IsBusy(exception))
                {
                    log.LogWarning(exception, "Hub call {Method} found the database busy", call);
                    return StoreFailures.BusyMessage;
                }

                log.LogError(exception, "Hub call {Method} failed", call);
                return "The server could not complete this call; nothing was changed.";
        }
    }
}
