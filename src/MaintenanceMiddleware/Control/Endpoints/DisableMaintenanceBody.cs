namespace MaintenanceMiddleware;

/// <summary>The JSON body of <c>POST {prefix}/disable</c>.</summary>
internal sealed class DisableMaintenanceBody
{
    public string? Application { get; set; }

    public string? Reason { get; set; }

    public long? ExpectedVersion { get; set; }
}
