using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>The in-memory store: one instance is the whole backing.</summary>
public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    private readonly InMemoryMaintenanceStateStore _store = new();

    protected override Task<IMaintenanceStateStore> OpenStoreAsync() => Task.FromResult<IMaintenanceStateStore>(_store);
}
