namespace MaintenanceMiddleware;

/// <summary>The JSON body of <c>POST {prefix}/enable</c>. The actor and source come from the request, never from the body.</summary>
internal sealed class EnableMaintenanceBody
{
    public string? Application { get; set; }

    public string? Reason { get; set; }

    /// <summary>The public message (optional); never the reason.</summary>
    public string? Message { get; set; }

    public string? Mode { get; set; }

    public DateTimeOffset? StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>A duration as operators write it (<c>15m</c>, <c>2h</c>, <c>00:15:00</c>).</summary>
    public string? Duration { get; set; }

    public List<string>? AllowedNetworks { get; set; }

    public long? ExpectedVersion { get; set; }

    /// <summary>How long to wait for every instance to confirm (<c>30s</c>, <c>2m</c>); the answer then carries the confirmation.</summary>
    public string? Wait { get; set; }
}
