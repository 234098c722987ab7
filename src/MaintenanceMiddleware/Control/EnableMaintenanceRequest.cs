
namespace MaintenanceMiddleware;

/// <summary>A request to switch maintenance on for one application or for all of them.</summary>
public sealed record EnableMaintenanceRequest
{
    /// <summary>The application to take down, or <see cref="MaintenanceState.AllApplications"/> (the default) for the whole environment.</summary>
    public string Application { get; init; } = MaintenanceState.AllApplications;

    /// <summary>Why; required, at most 500 characters, one line of plain text (no control or format characters).</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// What visitors and API clients are told (optional; the reason's limits: at most 500 characters, one line of plain
    /// text). <see langword="null"/> shows <see cref="MaintenanceModeOptions.DefaultMessage"/> or a neutral text; the
    /// internal <see cref="Reason"/> is never shown to the public.
    /// </summary>
    public string? Message { get; init; }

    /// <summary>Full or read-only.</summary>
    public MaintenanceMode Mode { get; init; } = MaintenanceMode.Full;

    /// <summary>When the window starts; <see langword="null"/> for at once.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>When the window ends. Mutually exclusive with <see cref="Duration"/>.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>How long the window lasts from its start. Mutually exclusive with <see cref="EndsAt"/>.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>IPs or CIDR ranges let through during this window, on top of the configured allowlist.</summary>
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];

    /// <summary>The version the caller based the change on (0 or more); <see langword="null"/> to apply to whatever is current.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Who asks; <see cref="MaintenanceActor.Code"/> when <see langword="null"/>.</summary>
    public MaintenanceActor? Actor { get; init; }
}
