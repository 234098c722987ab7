using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>Where the CLI switches maintenance: a store (through the same service the app uses) or a running app's endpoints.</summary>
internal interface IMaintenanceTarget : IAsyncDisposable
{
    /// <summary>How the target is named in messages (e.g. <c>file /srv/app/state.json</c>).</summary>
    string Description { get; }

    Task<MaintenanceStatus> GetStatusAsync(string application, CancellationToken cancellationToken);

    /// <summary>Switches on; with <paramref name="wait"/>, also waits for the instances to confirm (over HTTP in the same request).</summary>
    Task<MaintenanceSwitchResult> EnableAsync(EnableMaintenanceRequest request, TimeSpan? wait, CancellationToken cancellationToken);

    /// <summary>Switches off; with <paramref name="wait"/>, also waits for the instances to confirm.</summary>
    Task<MaintenanceSwitchResult> DisableAsync(DisableMaintenanceRequest request, TimeSpan? wait, CancellationToken cancellationToken);

    Task<MaintenanceInstanceList> GetInstancesAsync(string? application, CancellationToken cancellationToken);

    Task<MaintenanceBypassLinkCreated> CreateBypassLinkAsync(CreateBypassLinkRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<MaintenanceBypassLink>> GetBypassLinksAsync(string? application, CancellationToken cancellationToken);

    Task<MaintenanceBypassLink> RevokeBypassLinkAsync(RevokeBypassLinkRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The applications the target has seen: those with a stored state or an audit entry (the environment-wide <c>*</c>
    /// excluded), and those of the instances that report to it (their own and the ones they declare); over HTTP also the app's own.
    /// </summary>
    Task<IReadOnlyCollection<string>> GetKnownApplicationsAsync(CancellationToken cancellationToken);
}
