using MaintenanceMiddleware.Control;
using MaintenanceMiddleware.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// Keeps maintenance state and its audit trail in PostgreSQL tables and pushes every change to all instances
/// with <c>LISTEN</c>/<c>NOTIFY</c>.
/// </summary>
public sealed class PostgreSqlMaintenanceStateStore : IMaintenanceStateStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlStoreOptions _options;
    private readonly ILogger<PostgreSqlMaintenanceStateStore> _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store over <paramref name="dataSource"/>. The caller owns the data source.</summary>
    public PostgreSqlMaintenanceStateStore(
        NpgsqlDataSource dataSource,
        IOptions<PostgreSqlStoreOptions> options,
        ILogger<PostgreSqlMaintenanceStateStore> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates the schema and tables if they do not exist (idempotent, safe to run from many instances at once).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException("PostgreSQL helper");

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException("PostgreSQL helper");

    /// <inheritdoc />
    public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) => throw new NotImplementedException("PostgreSQL helper");

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) => throw new NotImplementedException("PostgreSQL helper");

    /// <inheritdoc />
    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => throw new NotImplementedException("PostgreSQL helper");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
