
namespace MaintenanceMiddleware;

/// <summary>A request to switch maintenance off for one application or for all of them.</summary>
public sealed record DisableMaintenanceRequest
{
    /// <summary>The application to bring back, or <see cref="MaintenanceState.AllApplications"/> (the default) for the environment-wide entry.</summary>
    public string Application { get; init; } = MaintenanceState.AllApplications;

    /// <summary>Why; required, at most 500 characters, one line of plain text (no control or format characters).</summary>
    public required string Reason { get; init; }

    /// <summary>The version the caller based the change on (0 or more); <see langword="null"/> to apply to whatever is current.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Who asks; <see cref="MaintenanceActor.Code"/> when <see langword="null"/>.</summary>
    public MaintenanceActor? Actor { get; init; }
}
