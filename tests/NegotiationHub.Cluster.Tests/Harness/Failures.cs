using Microsoft.AspNetCore.SignalR;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>Makes a failed wait say what the processes were doing.</summary>
internal static class Failures
{
    /// <summary>Awaits <paramref name="task"/>; a timeout, a give-up or a refusal is rethrown with <paramref name="diagnostics"/> (server logs, nginx's error log).</summary>
    public static async Task<T> WithDiagnosticsAsync<T>(Task<T> task, Func<string> diagnostics)
    {
        try
        {
            return await task;
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or HubException)
        {
            throw new TimeoutException($"{exception.Message}\n{diagnostics()}", exception);
        }
    }

    /// <inheritdoc cref="WithDiagnosticsAsync{T}(Task{T}, Func{string})"/>
    public static Task WithDiagnosticsAsync(Task task, Func<string> diagnostics) =>
        WithDiagnosticsAsync(AsTrue(task), diagnostics);

    private static async Task<bool> AsTrue(Task task)
    {
        await task;
        return true;
    }
}
