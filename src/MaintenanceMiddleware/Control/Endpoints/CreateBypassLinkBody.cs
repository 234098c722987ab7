namespace MaintenanceMiddleware;

/// <summary>The JSON body of <c>POST {prefix}/bypass</c>. The creator comes from the request, never from the body.</summary>
internal sealed class CreateBypassLinkBody
{
    /// <summary>The application the link opens; this application when left out, <c>*</c> only when written.</summary>
    public string? Application { get; set; }

    public string? Name { get; set; }

    public string? Reason { get; set; }

    /// <summary>The lifetime as operators write it (<c>2h</c>, <c>30m</c>).</summary>
    public string? Duration { get; set; }
}
