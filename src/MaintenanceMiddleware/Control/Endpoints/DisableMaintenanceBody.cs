namespace MaintenanceMiddleware;

/// <summary>The JSON body of <c>POST {prefix}/disable</c>.</summary>
internal sealed class DisableMaintenanceBody
{
    public string? Application { get; set; }

    public string? Reason { get; set; }

    public long? ExpectedVersion { get; set; }

    /// <summary>How long to wait for every instance to confirm (<c>30s</c>, <c>2m</c>); the answer then carries the confirmation.</summary>
    public string? Wait { get; set; }
}
