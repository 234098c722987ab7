namespace MaintenanceMiddleware;

/// <summary>A bypass link just created: the stored link and the one place its secret appears, <see cref="Path"/>.</summary>
public sealed record MaintenanceBypassLinkCreated
{
    /// <summary>The path prefix every application with <c>UseMaintenanceMode()</c> opens bypass links under.</summary>
    public const string PathPrefix = "/_maintenance/pass/";

    /// <summary>The link as stored (no token, only its hash).</summary>
    public required MaintenanceBypassLink Link { get; init; }

    /// <summary>
    /// The link's path on the application (<c>/_maintenance/pass/{id}.{token}</c>): prefix it with the application's base
    /// URL and hand it to the tester. It is shown once and cannot be read back.
    /// </summary>
    public required string Path { get; init; }
}
