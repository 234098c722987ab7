namespace MaintenanceMiddleware;

/// <summary>What a change recorded in the audit trail did.</summary>
public enum MaintenanceAction
{
    /// <summary>Maintenance was switched on (or its window changed).</summary>
    Enable = 0,

    /// <summary>Maintenance was switched off.</summary>
    Disable = 1,

    /// <summary>A bypass link was created.</summary>
    BypassCreate = 2,

    /// <summary>A bypass link was revoked.</summary>
    BypassRevoke = 3,

    /// <summary>A bypass link was opened for the first time.</summary>
    BypassUse = 4,
}
