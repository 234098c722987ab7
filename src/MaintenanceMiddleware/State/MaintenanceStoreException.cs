namespace MaintenanceMiddleware;

/// <summary>The state store could not be read or written (unreachable, corrupt, permission denied).</summary>
public sealed class MaintenanceStoreException : Exception
{
    /// <summary>Creates the exception with a message that says what failed.</summary>
    public MaintenanceStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Set when the stored state vanished but can be written anew (the file store's state file, deleted after it
    /// existed): reads the last state of each application as the audit trail records it. A change is then based on
    /// these, and writing it recreates the store; reads keep failing until then.
    /// </summary>
    internal Func<CancellationToken, Task<IReadOnlyList<MaintenanceState>>>? RecoverableStates { get; init; }
}
