namespace MaintenanceMiddleware;

/// <summary>A request to create a bypass link that lets one tester through maintenance for a while.</summary>
public sealed record CreateBypassLinkRequest
{
    /// <summary>The application the link opens; <see cref="MaintenanceState.AllApplications"/> (every application) only when asked for.</summary>
    public required string Application { get; init; }

    /// <summary>Who the link is for (e.g. <c>QA Anna</c>); required, at most 100 characters, one line of plain text.</summary>
    public required string Name { get; init; }

    /// <summary>Why; required, with the same rules as a maintenance reason. Recorded in the audit trail.</summary>
    public required string Reason { get; init; }

    /// <summary>How long the link works; positive and at most <see cref="MaintenanceModeOptions.BypassLinkMaxLifetime"/> (default 24 hours).</summary>
    public required TimeSpan Lifetime { get; init; }

    /// <summary>Who asks; <see cref="MaintenanceActor.Code"/> when <see langword="null"/>.</summary>
    public MaintenanceActor? Actor { get; init; }
}
