namespace MaintenanceMiddleware;

/// <summary>How much of the application maintenance takes away.</summary>
public enum MaintenanceMode
{
    /// <summary>Every request that is not let through gets the maintenance response.</summary>
    Full = 0,

    /// <summary>Safe methods (GET, HEAD, OPTIONS) still reach the application; everything else gets the maintenance response.</summary>
    ReadOnly = 1,
}
