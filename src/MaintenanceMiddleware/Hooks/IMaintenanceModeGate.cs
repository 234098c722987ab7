namespace MaintenanceMiddleware;

/// <summary>
/// What background work asks before and while it runs: is maintenance on, cancel me when it begins,
/// and let me wait until it ends. Always reflects this instance's current snapshot.
/// </summary>
public interface IMaintenanceModeGate
{
    /// <summary>Whether maintenance is in force for this instance's application now.</summary>
    bool IsActive { get; }

    /// <summary>
    /// A token that is cancelled when maintenance begins (already cancelled if it is in force now).
    /// Link it with your own token to abort work in flight.
    /// </summary>
    CancellationToken MaintenanceStartedToken { get; }

    /// <summary>Completes at once when maintenance is not in force, otherwise when it ends.</summary>
    Task WaitUntilEndedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The gate of <paramref name="application"/>, one the host declares (<c>MaintenanceMode:Applications</c>, its own
    /// application, or <c>*</c>): its <see cref="IsActive"/>, a token cancelled when its maintenance begins, and a wait
    /// until it ends. Reads memory only; the state monitor keeps every declared application's state with its snapshot.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="application"/> is not declared by this host.</exception>
    IMaintenanceModeGate ForApplication(string application);
}
