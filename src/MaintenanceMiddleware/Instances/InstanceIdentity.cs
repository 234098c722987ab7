using System.Diagnostics;
using System.Reflection;

namespace MaintenanceMiddleware;

/// <summary>Who this process is in the instance registry: fixed at start, the same in every report.</summary>
internal sealed record InstanceIdentity(string InstanceId, string SessionId, string HostName, int ProcessId, DateTimeOffset StartedAt, string? LibraryVersion)
{
    /// <summary>This process, under <paramref name="configuredId"/> or the default id <c>host:pid</c>.</summary>
    public static InstanceIdentity ForThisProcess(string? configuredId)
    {
        var host = Environment.MachineName;
        var pid = Environment.ProcessId;
        DateTimeOffset started;
        using (var process = Process.GetCurrentProcess())
        {
            started = process.StartTime.ToUniversalTime();
        }

        var version = typeof(InstanceIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (version?.IndexOf('+', StringComparison.Ordinal) is > 0 and var plus)
        {
            version = version[..plus];
        }

        return new InstanceIdentity(configuredId ?? $"{host}:{pid}", Guid.NewGuid().ToString("N")[..12], host, pid, started, version);
    }

    /// <summary>
    /// Whether a live report under this id belongs to another process: another session that is not an earlier run of
    /// this very host and process id (a restart takes its entry over).
    /// </summary>
    public bool IsClaimedBy(MaintenanceInstanceReport other) =>
        other.InstanceId == InstanceId && other.SessionId != SessionId
        && !(other.ProcessId == ProcessId && string.Equals(other.HostName, HostName, StringComparison.OrdinalIgnoreCase));

    /// <summary>This identity under a suffixed id, told apart from the process that holds <see cref="InstanceId"/>.</summary>
    public InstanceIdentity Renamed() => this with { InstanceId = $"{InstanceId}#{SessionId[..6]}" };
}
