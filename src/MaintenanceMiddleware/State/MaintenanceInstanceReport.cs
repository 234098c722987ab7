namespace MaintenanceMiddleware;

/// <summary>
/// What one running instance of an application tells the store about itself: who it is, which state versions it has
/// applied, and whether it has finished switching to them (drained). Written by the instance on every heartbeat and
/// every change (<see cref="IMaintenanceInstanceRegistry.ReportAsync"/>); read by <c>maintenance instances</c> and by
/// <c>enable/disable --wait</c>.
/// </summary>
public sealed record MaintenanceInstanceReport
{
    /// <summary>The instance's id, unique among the live instances sharing a store (<c>MaintenanceMode:InstanceId</c>; default host name and process id).</summary>
    public required string InstanceId { get; init; }

    /// <summary>A random id of this process run: tells a restarted instance, or a second process claiming the same <see cref="InstanceId"/>, apart.</summary>
    public required string SessionId { get; init; }

    /// <summary>The application this instance serves (<c>MaintenanceMode:Application</c>).</summary>
    public required string Application { get; init; }

    /// <summary>The other applications this instance declares (<c>MaintenanceMode:Applications</c>): it pauses the work aimed at them while they are in maintenance.</summary>
    public IReadOnlyList<string> Applications { get; init; } = [];

    /// <summary>The machine (or container) name.</summary>
    public required string HostName { get; init; }

    /// <summary>The operating system's process id.</summary>
    public int ProcessId { get; init; }

    /// <summary>When the process started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The version of the MaintenanceMiddleware library the instance runs.</summary>
    public string? LibraryVersion { get; init; }

    /// <summary>Whether configuration (<c>MaintenanceMode:Enabled=true</c>) forces maintenance on for this instance, whatever the store says.</summary>
    public bool ForcedByConfiguration { get; init; }

    /// <summary>How often the instance reports; it counts as gone after <see cref="MissedHeartbeatsBeforeGone"/> missed reports.</summary>
    public TimeSpan HeartbeatInterval { get; init; }

    /// <summary>The version of each stored state (application name, or <c>*</c>) the instance's requests are answered by now.</summary>
    public IReadOnlyDictionary<string, long> AppliedVersions { get; init; } = new Dictionary<string, long>();

    /// <summary>Whether maintenance is in force on this instance now.</summary>
    public bool InMaintenance { get; init; }

    /// <summary>
    /// Whether the instance has finished switching to the applied versions: requests in flight at the switch finished
    /// (or the drain timeout passed), long-lived connections of visitors who are not let through closed, and the
    /// observers' callbacks (pausing or resuming background work) done.
    /// </summary>
    public bool Drained { get; init; }

    /// <summary>While not <see cref="Drained"/>: what it still waits for, in words ("3 requests in flight", "observers running").</summary>
    public string? Pending { get; init; }

    /// <summary>Requests that were in flight when maintenance started and have not finished.</summary>
    public int InFlightRequests { get; init; }

    /// <summary>Open WebSocket and server-sent-event connections of visitors who would not be let through.</summary>
    public int OpenLongLivedConnections { get; init; }

    /// <summary>Whether the observers have paused background work (their "maintenance started" callbacks are done and maintenance is in force).</summary>
    public bool BackgroundPaused { get; init; }

    /// <summary>When the store received the last report, by the store's clock where it has one (PostgreSQL, Redis), so skewed instance clocks do not matter. Set by the store.</summary>
    public DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>The longest heartbeat interval a stored report may carry; a longer one (or a negative one) makes the report unreadable.</summary>
    public static readonly TimeSpan MaxStoredHeartbeatInterval = TimeSpan.FromDays(1);

    /// <summary>
    /// The one check every store applies to a report it reads back (JSON written by hand, by an older version, or
    /// damaged): the required texts and both collections are present, and the heartbeat interval is between zero and
    /// <see cref="MaxStoredHeartbeatInterval"/>. A report that fails it is listed in <see cref="MaintenanceInstanceList.Unreadable"/>.
    /// </summary>
    /// <param name="problem">Why it is not a usable report, in words; empty when it is.</param>
    public bool TryValidate(out string problem)
    {
        problem = InstanceId is null || SessionId is null || Application is null || HostName is null
            ? "a required field is null"
            : Applications is null || AppliedVersions is null || Applications.Any(a => a is null)
                ? "a collection is null or holds null"
                : HeartbeatInterval < TimeSpan.Zero || HeartbeatInterval > MaxStoredHeartbeatInterval
                    ? $"its heartbeat interval {HeartbeatInterval} is negative or longer than a day"
                    : string.Empty;
        return problem.Length == 0;
    }

    /// <summary>How many heartbeats an instance may miss before it counts as gone.</summary>
    public const int MissedHeartbeatsBeforeGone = 3;

    /// <summary>Whether the instance counts as running at <paramref name="now"/> (the store's time): it reported within <see cref="MissedHeartbeatsBeforeGone"/> heartbeat intervals.</summary>
    public bool IsLiveAt(DateTimeOffset now) => now - LastHeartbeat <= TimeToLive;

    // Three intervals, saturating: a hand-edited interval near TimeSpan.MaxValue must not overflow.
    private TimeSpan TimeToLive => HeartbeatInterval.Ticks > TimeSpan.MaxValue.Ticks / MissedHeartbeatsBeforeGone
        ? TimeSpan.MaxValue
        : HeartbeatInterval * MissedHeartbeatsBeforeGone;

    /// <summary>The applied version of <paramref name="application"/>'s state, <c>0</c> when the instance has seen none.</summary>
    /// <remarks>Application names compare case-insensitively, as everywhere (a store's JSON round trip loses the dictionary's comparer).</remarks>
    public long AppliedVersionOf(string application)
    {
        if (AppliedVersions.TryGetValue(application, out var version))
        {
            return version;
        }

        foreach (var (name, applied) in AppliedVersions)
        {
            if (string.Equals(name, application, StringComparison.OrdinalIgnoreCase))
            {
                return applied;
            }
        }

        return 0;
    }
}
