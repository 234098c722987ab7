namespace MaintenanceMiddleware;

/// <summary>
/// Thrown when a change was based on a state version that is no longer current: another operator
/// switched first. Nothing was written; read the status again and retry if the change is still wanted.
/// </summary>
public sealed class MaintenanceConflictException : Exception
{
    /// <summary>Creates the exception for <paramref name="application"/>.</summary>
    public MaintenanceConflictException(string application, long expectedVersion, long actualVersion)
        : base($"The maintenance state of '{application}' was changed by someone else (expected version {expectedVersion}, found {actualVersion}). Nothing was written; check the status and retry.")
    {
        Application = application;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The application whose state changed.</summary>
    public string Application { get; }

    /// <summary>The version the change was based on.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version found in the store.</summary>
    public long ActualVersion { get; }
}
