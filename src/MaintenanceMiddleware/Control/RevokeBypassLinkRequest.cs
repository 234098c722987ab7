namespace MaintenanceMiddleware;

/// <summary>A request to end a bypass link before it expires.</summary>
public sealed record RevokeBypassLinkRequest
{
    /// <summary>The link's id, as <c>bypass list</c> shows it.</summary>
    public required string Id { get; init; }

    /// <summary>Why (optional; the reason's rules). Recorded in the audit trail; <c>Bypass link revoked.</c> when <see langword="null"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>Who asks; <see cref="MaintenanceActor.Code"/> when <see langword="null"/>.</summary>
    public MaintenanceActor? Actor { get; init; }
}
