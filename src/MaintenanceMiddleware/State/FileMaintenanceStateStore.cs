using MaintenanceMiddleware.Control;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.State;

/// <summary>The embedded default store: one JSON state file written atomically, a JSON-lines audit file, a cross-process lock, a watcher with a polling fallback.</summary>
public sealed class FileMaintenanceStateStore : IMaintenanceStateStore
{
    /// <summary>Creates the store for a host (paths relative to its content root).</summary>
    public FileMaintenanceStateStore(IOptions<FileStoreOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        StatePath = Path.GetFullPath(options.Value.Path, environment.ContentRootPath);
    }

    /// <summary>The full path of the state file.</summary>
    public string StatePath { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException("TODO(file store helper)");

    /// <inheritdoc />
    public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) => throw new NotImplementedException("TODO(file store helper)");

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) => throw new NotImplementedException("TODO(file store helper)");

    /// <inheritdoc />
    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => throw new NotImplementedException("TODO(file store helper)");
}
