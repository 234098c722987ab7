namespace MaintenanceMiddleware;

/// <summary>The state store could not be read or written (unreachable, corrupt, permission denied).</summary>
public sealed class MaintenanceStoreException : Exception
{
    /// <summary>Creates the exception with a message that says what failed.</summary>
    public MaintenanceStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
