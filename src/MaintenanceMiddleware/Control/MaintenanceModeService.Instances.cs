namespace MaintenanceMiddleware;

/// <summary>Listing instances and waiting for them to confirm a change: <see cref="InstanceConfirmationRule"/> and <see cref="InstanceConfirmationWaiter"/> over the store's registry.</summary>
internal sealed partial class MaintenanceModeService
{
    /// <inheritdoc />
    public async Task<MaintenanceInstanceList> GetInstancesAsync(string? application = null, CancellationToken cancellationToken = default)
    {
        if (application is not null && application != MaintenanceState.AllApplications
            && !MaintenanceRules.TryValidateApplication(application, allowAll: true, out var error))
        {
            throw new MaintenanceValidationException("application", error);
        }

        var list = await Registry().GetInstancesAsync(cancellationToken).ConfigureAwait(false);
        return application is null or MaintenanceState.AllApplications
            ? list
            : list with { Instances = [.. list.Instances.Where(i => string.Equals(i.Application, application, StringComparison.OrdinalIgnoreCase))] };
    }

    /// <inheritdoc />
    public Task<MaintenanceConfirmation> WaitForInstancesAsync(string application, long version, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        application = ValidateApplication(application);
        if (version < 1)
        {
            throw new MaintenanceValidationException("version", $"The version to confirm must be at least 1 (it was {version}).");
        }

        if (!MaintenanceRules.TryValidateWait(timeout, out var error))
        {
            throw new MaintenanceValidationException("wait", error);
        }

        return InstanceConfirmationWaiter.WaitAsync(Registry(), application, version, timeout, _time, cancellationToken);
    }

    private IMaintenanceInstanceRegistry Registry() =>
        _store as IMaintenanceInstanceRegistry
        ?? throw new MaintenanceStoreException($"The state store ({_store.GetType().Name}) keeps no instance registry (IMaintenanceInstanceRegistry), so instances cannot be listed or waited for.");
}
