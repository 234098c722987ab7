namespace MaintenanceMiddleware;

/// <summary>
/// The answer to "is the change true on every instance?": whether every live instance of the changed application
/// (every instance for <c>*</c>, and instances that declare it in <c>MaintenanceMode:Applications</c>) applied the
/// stored version and drained, and where each one stands. Returned by
/// the service's <c>WaitForInstancesAsync</c>, by the endpoints when the body asks to <c>wait</c>,
/// and printed by <c>maintenance enable/disable --wait</c>.
/// </summary>
public sealed record MaintenanceConfirmation
{
    /// <summary>The application whose change was waited for (or <c>*</c>).</summary>
    public required string Application { get; init; }

    /// <summary>The stored version that had to be applied.</summary>
    public required long Version { get; init; }

    /// <summary>
    /// Whether the change is confirmed: every instance is <see cref="MaintenanceInstanceOutcome.Confirmed"/> or
    /// <see cref="MaintenanceInstanceOutcome.Stopped"/> (and none is <see cref="MaintenanceInstanceOutcome.Gone"/>).
    /// Also <see langword="true"/> when no instance is running (<see cref="NoLiveInstance"/>): nothing serves the old state.
    /// </summary>
    public required bool Confirmed { get; init; }

    /// <summary>Whether no live instance of the application was found: nothing to wait for (a warning, not a failure).</summary>
    public bool NoLiveInstance { get; init; }

    /// <summary>How long the wait took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The timeout the wait had.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>Each instance that counted, and where it stands.</summary>
    public required IReadOnlyList<MaintenanceInstanceConfirmation> Instances { get; init; }

    /// <summary>When the store stopped answering during the wait and still did not at its end: why (the outcome is then not confirmed).</summary>
    public string? StoreError { get; init; }

    /// <summary>Instance entries that could not be read: ignored, never blocking.</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];
}
