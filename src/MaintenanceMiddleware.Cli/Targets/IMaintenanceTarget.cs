using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>Where the CLI switches maintenance: a store (through the same service the app uses) or a running app's endpoints.</summary>
internal interface IMaintenanceTarget : IAsyncDisposable
{
    /// <summary>How the target is named in messages (e.g. <c>file /srv/app/state.json</c>).</summary>
    string Description { get; }

    Task<MaintenanceStatus> GetStatusAsync(string application, CancellationToken cancellationToken);

    Task<MaintenanceState> EnableAsync(EnableMaintenanceRequest request, CancellationToken cancellationToken);

    Task<MaintenanceState> DisableAsync(DisableMaintenanceRequest request, CancellationToken cancellationToken);

    Task<MaintenanceBypassLinkCreated> CreateBypassLinkAsync(CreateBypassLinkRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<MaintenanceBypassLink>> GetBypassLinksAsync(string? application, CancellationToken cancellationToken);

    Task<MaintenanceBypassLink> RevokeBypassLinkAsync(RevokeBypassLinkRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The applications the target has seen: those with a stored state or an audit entry (the environment-wide <c>*</c>
    /// excluded); over HTTP also the app's own. There is no instance registry yet, so an app never switched is not known.
    /// </summary>
    Task<IReadOnlyCollection<string>> GetKnownApplicationsAsync(CancellationToken cancellationToken);
}
