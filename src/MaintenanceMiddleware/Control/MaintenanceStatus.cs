
namespace MaintenanceMiddleware;

/// <summary>Whether maintenance is in force for one application, and why.</summary>
public sealed record MaintenanceStatus
{
    /// <summary>The application asked about (or <see cref="MaintenanceState.AllApplications"/>).</summary>
    public required string Application { get; init; }

    /// <summary>Whether the application answers with the maintenance response now.</summary>
    public required bool IsActive { get; init; }

    /// <summary>Whether maintenance is forced on by configuration (<c>MaintenanceMode:Enabled=true</c>) rather than by the store.</summary>
    public bool ForcedByConfiguration { get; init; }

    /// <summary>The state that governs the application now: its own, or the environment-wide one when that is in force.</summary>
    public required MaintenanceState Effective { get; init; }

    /// <summary>The application's own stored state.</summary>
    public required MaintenanceState Own { get; init; }

    /// <summary>The environment-wide stored state (<see cref="MaintenanceState.AllApplications"/>).</summary>
    public required MaintenanceState Environment { get; init; }

    /// <summary>The time the status was computed for.</summary>
    public required DateTimeOffset AsOf { get; init; }
}
