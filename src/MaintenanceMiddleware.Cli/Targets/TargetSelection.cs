namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>The target the operator chose: exactly one of a state file, a PostgreSQL database, a Redis server or a running app's endpoints.</summary>
internal sealed record TargetSelection
{
    public string? File { get; init; }

    /// <summary>Whether a missing <see cref="File"/> may be created (<c>--create</c>).</summary>
    public bool CreateFile { get; init; }

    public string? Postgres { get; init; }

    public string? PostgresSchema { get; init; }

    public string? Redis { get; init; }

    public string? RedisKeyPrefix { get; init; }

    public Uri? Url { get; init; }

    public string? ApiKey { get; init; }
}
