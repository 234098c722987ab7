namespace MaintenanceMiddleware;

/// <summary>Listing instances and waiting for them to confirm a change: <see cref="InstanceConfirmationRule"/> and <see cref="InstanceConfirmationWaiter"/> over the store's registry.</summary>
internal sealed partial class MaintenanceModeService
{
    /// <inheritdoc />
    public Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default) =>
        Registry().GetInstancesAsync(cancellationToken);

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
