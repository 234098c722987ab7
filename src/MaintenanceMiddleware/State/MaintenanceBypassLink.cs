namespace MaintenanceMiddleware;

/// <summary>
/// A bypass link for testers, as stored with the state of the application it opens (or of <c>*</c>): who it is for,
/// until when, and the SHA-256 hash of its token. The token itself is never stored, logged or audited; only the
/// person who created the link holds it (in the link's URL).
/// </summary>
public sealed record MaintenanceBypassLink
{
    /// <summary>The link's public id (in <c>bypass list</c>, the audit trail and logs; the first part of the link).</summary>
    public required string Id { get; init; }

    /// <summary>The application the link opens, or <see cref="MaintenanceState.AllApplications"/> for every application.</summary>
    public required string Application { get; init; }

    /// <summary>Who the link is for (e.g. <c>QA Anna</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Why it was created.</summary>
    public required string Reason { get; init; }

    /// <summary>Who created it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops working (UTC); its cookie expires then too.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The SHA-256 hash of the token, base64url; what a presented token is compared with (in constant time).</summary>
    public required string TokenHash { get; init; }

    /// <summary>When the link was first opened, or <see langword="null"/> if never.</summary>
    public DateTimeOffset? FirstUsedAt { get; init; }

    /// <summary>When it was revoked, or <see langword="null"/> while it is not.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Who revoked it.</summary>
    public string? RevokedBy { get; init; }

    /// <summary>Whether the link opens the site at <paramref name="now"/>: not revoked and not expired.</summary>
    public bool IsLiveAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;
}
