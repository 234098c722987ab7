using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>The file store: every instance opens the same state file in a fresh directory.</summary>
public sealed class FileStoreConformanceTests : StoreConformanceTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mm-conformance.").FullName;

    protected override Task<IMaintenanceStateStore> OpenStoreAsync() =>
        Task.FromResult<IMaintenanceStateStore>(new FileMaintenanceStateStore(new FileStoreOptions { Path = Path.Combine(_directory, "state.json") }));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
