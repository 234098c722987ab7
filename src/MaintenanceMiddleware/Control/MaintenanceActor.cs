namespace MaintenanceMiddleware;

/// <summary>Who makes a change and from where; recorded in the audit trail.</summary>
/// <param name="Name">The authenticated user name, the API key name, or <c>cli:user@host</c>.</param>
/// <param name="Source">The client IP address, <c>cli</c>, or <c>code</c>.</param>
public sealed record MaintenanceActor(string Name, string Source)
{
    /// <summary>The actor for changes made by the <c>maintenance</c> command-line tool on this machine.</summary>
    public static MaintenanceActor Cli() => new($"cli:{Environment.UserName}@{Environment.MachineName}", "cli");

    /// <summary>The actor for changes made from code in this process when the caller names none.</summary>
    public static MaintenanceActor Code() => new($"code:{Environment.UserName}@{Environment.MachineName}", "code");
}
