using MaintenanceMiddleware;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>Instance reports for the registry tests.</summary>
internal static class InstanceReports
{
    public static MaintenanceInstanceReport Report(string id, string application = "Storefront") => new()
    {
        InstanceId = id,
        SessionId = "session-" + id,
        Application = application,
        HostName = "host-a",
        ProcessId = 1,
        StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        AppliedVersions = new Dictionary<string, long> { [application] = 1 },
    };
}
