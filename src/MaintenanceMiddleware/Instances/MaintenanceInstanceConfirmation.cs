namespace MaintenanceMiddleware;

/// <summary>One instance's part in confirming a change.</summary>
public sealed record MaintenanceInstanceConfirmation
{
    /// <summary>The instance's id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The application the instance serves.</summary>
    public required string Application { get; init; }

    /// <summary>The instance's host name.</summary>
    public required string HostName { get; init; }

    /// <summary>Where the instance stands.</summary>
    public required MaintenanceInstanceOutcome Outcome { get; init; }

    /// <summary>The version of the changed state the instance has applied (0 when none).</summary>
    public long AppliedVersion { get; init; }

    /// <summary>Why, in words: "applied v7 and drained", "still on v6", "3 requests in flight", "no heartbeat for 16 s".</summary>
    public required string Detail { get; init; }

    /// <summary>The instance's last report as read.</summary>
    public MaintenanceInstanceReport? Report { get; init; }
}
