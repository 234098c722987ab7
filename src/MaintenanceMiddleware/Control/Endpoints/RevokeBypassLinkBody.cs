namespace MaintenanceMiddleware;

/// <summary>The JSON body of <c>POST {prefix}/bypass/revoke</c>.</summary>
internal sealed class RevokeBypassLinkBody
{
    public string? Id { get; set; }

    public string? Reason { get; set; }
}
