namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>The JSON body of <c>POST enable</c>, as the endpoints read it.</summary>
internal sealed class HttpEnableBody
{
    public required string Application { get; init; }

    public required string Reason { get; init; }

    public string? Mode { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    public string? Duration { get; init; }

    public IReadOnlyList<string>? AllowedNetworks { get; init; }
}

/// <summary>The JSON body of <c>POST disable</c>.</summary>
internal sealed class HttpDisableBody
{
    public required string Application { get; init; }

    public required string Reason { get; init; }
}

/// <summary>A problem+json answer (RFC 9457), with validation errors by field.</summary>
internal sealed class HttpProblem
{
    public string? Title { get; init; }

    public string? Detail { get; init; }

    public Dictionary<string, string[]>? Errors { get; init; }
}
