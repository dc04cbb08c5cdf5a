using System.Collections.Immutable;

namespace NegotiationHub.Client;

/// <summary>
/// The handlers registered for one kind of message. Copy-on-write, so registering or removing a
/// handler while messages are dispatched is safe; each handler runs in registration order and one
/// handler's exception does not keep the others from running.
/// </summary>
internal sealed class HandlerList<T>
{
    private ImmutableArray<Registration> _registrations = [];

    public IDisposable Add(Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var registration = new Registration(this, handler);
        ImmutableInterlocked.Update(ref _registrations, static (list, item) => list.Add(item), registration);
        return registration;
    }

    /// <summary>Runs every handler; <paramref name="onError"/> receives each handler's exception.</summary>
    public async Task InvokeAsync(T message, Action<Exception> onError)
    {
        foreach (var registration in _registrations)
        {
            try
            {
                await registration.Handler(message).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                onError(ex);
            }
        }
    }

    private void Remove(Registration registration) =>
        ImmutableInterlocked.Update(ref _registrations, static (list, item) => list.Remove(item), registration);

    private sealed class Registration(HandlerList<T> owner, Func<T, Task> handler) : IDisposable
    {
        public Func<T, Task> Handler { get; } = handler;

        public void Dispose() => owner.Remove(this);
    }
}
