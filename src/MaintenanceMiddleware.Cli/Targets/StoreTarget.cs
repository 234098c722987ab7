namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>
/// Switches maintenance directly in a store, through the same service the app uses
/// (<see cref="MaintenanceModeServiceFactory"/>), so it works while the app is down or being deployed. The CLI does not
/// know the host's application names, so the service gets no options and accepts any valid name.
/// </summary>
internal sealed class StoreTarget : IMaintenanceTarget
{
    private readonly IMaintenanceStateStore _store;
    private readonly IMaintenanceModeService _service;
    private readonly IAsyncDisposable? _owned;

    public StoreTarget(IMaintenanceStateStore store, string description, TimeProvider time, IAsyncDisposable? owned = null)
    {
        _store = store;
        _owned = owned;
        Description = description;
        _service = MaintenanceModeServiceFactory.Create(store, options: null, time);
    }

    public string Description { get; }

    public Task<MaintenanceStatus> GetStatusAsync(string application, CancellationToken cancellationToken) =>
        _service.GetStatusAsync(application, cancellationToken);

    public async Task<MaintenanceSwitchResult> EnableAsync(EnableMaintenanceRequest request, TimeSpan? wait, CancellationToken cancellationToken)
    {
        await EnsureCanWaitAsync(wait, cancellationToken).ConfigureAwait(false);
        return await ConfirmAsync(await _service.EnableAsync(request, cancellationToken).ConfigureAwait(false), wait, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MaintenanceSwitchResult> DisableAsync(DisableMaintenanceRequest request, TimeSpan? wait, CancellationToken cancellationToken)
    {
        await EnsureCanWaitAsync(wait, cancellationToken).ConfigureAwait(false);
        return await ConfirmAsync(await _service.DisableAsync(request, cancellationToken).ConfigureAwait(false), wait, cancellationToken).ConfigureAwait(false);
    }

    public Task<MaintenanceInstanceList> GetInstancesAsync(string? application, CancellationToken cancellationToken) =>
        _service.GetInstancesAsync(application, cancellationToken);

    public Task<MaintenanceBypassLinkCreated> CreateBypassLinkAsync(CreateBypassLinkRequest request, CancellationToken cancellationToken) =>
        _service.CreateBypassLinkAsync(request, cancellationToken);

    public Task<IReadOnlyList<MaintenanceBypassLink>> GetBypassLinksAsync(string? application, CancellationToken cancellationToken) =>
        _service.GetBypassLinksAsync(application, cancellationToken);

    public Task<MaintenanceBypassLink> RevokeBypassLinkAsync(RevokeBypassLinkRequest request, CancellationToken cancellationToken) =>
        _service.RevokeBypassLinkAsync(request, cancellationToken);

    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application, int limit, CancellationToken cancellationToken) =>
        _service.GetAuditTrailAsync(application, limit, cancellationToken);

    public async Task<IReadOnlyCollection<string>> GetKnownApplicationsAsync(CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var state in await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(state.Application);
        }

        foreach (var entry in await _store.GetAuditTrailAsync(null, MaintenanceRules.MaxAuditLimit, cancellationToken).ConfigureAwait(false))
        {
            names.Add(entry.Application);
        }

        if (_store is IMaintenanceInstanceRegistry registry)
        {
            foreach (var instance in (await registry.GetInstancesAsync(cancellationToken).ConfigureAwait(false)).Instances)
            {
                names.Add(instance.Application);
                names.UnionWith(instance.Applications);
            }
        }

        names.Remove(MaintenanceState.AllApplications);
        return names;
    }

    // A wait that cannot be done (no registry, a schema without the instances table) fails before anything is switched.
    private async Task EnsureCanWaitAsync(TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (wait is not null)
        {
            await _service.GetInstancesAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<MaintenanceSwitchResult> ConfirmAsync(MaintenanceState state, TimeSpan? wait, CancellationToken cancellationToken) => new()
    {
        State = state,
        Confirmation = wait is { } timeout ? await _service.WaitForInstancesAsync(state.Application, state.Version, timeout, cancellationToken).ConfigureAwait(false) : null,
    };

    public async ValueTask DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
