namespace MaintenanceMiddleware;

/// <summary>
/// The answer of <c>POST enable</c> / <c>POST disable</c> when the body asked to <c>wait</c>: the stored state and
/// whether every instance confirmed it (200 when it did, 504 when the wait ended without).
/// </summary>
internal sealed class MaintenanceSwitchResult
{
    /// <summary>The stored state.</summary>
    public required MaintenanceState State { get; init; }

    /// <summary>The confirmation; <see langword="null"/> when no wait was asked for (the CLI's store target).</summary>
    public MaintenanceConfirmation? Confirmation { get; init; }
}
