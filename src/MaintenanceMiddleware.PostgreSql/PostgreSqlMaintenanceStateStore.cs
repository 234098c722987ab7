using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// Keeps maintenance state and its audit trail in PostgreSQL tables and pushes every change to all instances
/// with <c>LISTEN</c>/<c>NOTIFY</c>.
/// </summary>
/// <remarks>
/// A change is one transaction: the version-checked state row, the audit row and <c>pg_notify</c>. Every instance keeps
/// one listening connection, reloads on each notification, after every reconnect, and every
/// <see cref="PostgreSqlStoreOptions.PollInterval"/> as a safety net.
/// </remarks>
public sealed class PostgreSqlMaintenanceStateStore : IMaintenanceStateStore, IAsyncDisposable, IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly PostgreSqlConnections _connections;
    private readonly PostgreSqlSchema _schema;
    private readonly PostgreSqlChangeListener _listener;
    private readonly PostgreSqlStoreOptions _options;
    private readonly ILogger<PostgreSqlMaintenanceStateStore> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _stateTable;
    private readonly string _auditTable;

    /// <summary>Creates the store over <paramref name="dataSource"/>. The caller owns the data source.</summary>
    /// <exception cref="ArgumentException">The options are invalid (for example a schema name that is not a plain identifier).</exception>
    public PostgreSqlMaintenanceStateStore(
        NpgsqlDataSource dataSource,
        IOptions<PostgreSqlStoreOptions> options,
        ILogger<PostgreSqlMaintenanceStateStore> logger,
        TimeProvider timeProvider)
        : this(dataSource, ownsDataSource: false, options, logger, timeProvider)
    {
    }

    internal PostgreSqlMaintenanceStateStore(
        NpgsqlDataSource dataSource,
        bool ownsDataSource,
        IOptions<PostgreSqlStoreOptions> options,
        ILogger<PostgreSqlMaintenanceStateStore> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        var errors = _options.Validate(requireConnectionString: false);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _logger = logger;
        _timeProvider = timeProvider;
        _connections = new PostgreSqlConnections(dataSource, ownsDataSource);
        _schema = new PostgreSqlSchema(_options, _connections, logger);
        _listener = new PostgreSqlChangeListener(_options, _connections, logger, timeProvider);
        _stateTable = _schema.StateTable;
        _auditTable = _schema.AuditTable;
    }

    /// <summary>Creates the schema and tables if they do not exist (idempotent, safe to run from many instances at once).</summary>
    /// <exception cref="MaintenanceStoreException">The database could not be reached or the user may not create the tables.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _schema.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _connections.WithConnectionAsync<IReadOnlyList<MaintenanceState>>(
                async connection =>
                {
                    using var command = new NpgsqlCommand($"SELECT version, state::text FROM {_stateTable}", connection);
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var states = new List<MaintenanceState>();
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var state = Deserialize<MaintenanceState>(reader.GetString(1));
                            states.Add(state with { Version = reader.GetInt64(0) });
                        }

                        return states;
                    }
                },
                () => true,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance state could not be read from PostgreSQL"), ex);
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(auditEntry);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var committing = false;
        long? conflictVersion;
        try
        {
            conflictVersion = await _connections.WithConnectionAsync<long?>(
                async connection =>
                {
                    var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        // One round trip: the version-checked write, the audit row, the notification (sent only on commit).
                        using var batch = new NpgsqlBatch(connection, transaction);
                        var write = expectedVersion == 0
                            ? new NpgsqlBatchCommand($"INSERT INTO {_stateTable} (application, version, state, updated_at) VALUES (@application, @version, @state, @at) ON CONFLICT DO NOTHING")
                            : new NpgsqlBatchCommand($"UPDATE {_stateTable} SET version = @version, state = @state, updated_at = @at WHERE lower(application) = lower(@application) AND version = @expected");
                        write.Parameters.AddWithValue("application", state.Application);
                        write.Parameters.AddWithValue("version", state.Version);
                        write.Parameters.AddWithValue("state", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(state, s_json));
                        write.Parameters.AddWithValue("at", state.ChangedAt ?? _timeProvider.GetUtcNow());
                        write.Parameters.AddWithValue("expected", expectedVersion);
                        batch.BatchCommands.Add(write);

                        var audit = new NpgsqlBatchCommand($"INSERT INTO {_auditTable} (at, application, action, entry) VALUES (@at, @application, @action, @entry)");
                        audit.Parameters.AddWithValue("at", auditEntry.Timestamp);
                        audit.Parameters.AddWithValue("application", auditEntry.Application);
                        audit.Parameters.AddWithValue("action", auditEntry.Action.ToString());
                        audit.Parameters.AddWithValue("entry", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(auditEntry, s_json));
                        batch.BatchCommands.Add(audit);

                        var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @application)");
                        notify.Parameters.AddWithValue("channel", _options.ChannelName);
                        notify.Parameters.AddWithValue("application", state.Application);
                        batch.BatchCommands.Add(notify);

                        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        if (write.RecordsAffected == 1)
                        {
                            committing = true;
                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                            return null;
                        }

                        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return await ReadVersionAsync(connection, state.Application, cancellationToken).ConfigureAwait(false);
                },
                // Before the commit nothing is written, so a dead pooled connection may be replaced and the change retried.
                () => !committing,
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgreSqlErrors.UniqueViolation)
        {
            // Another instance inserted the first state of this application (perhaps in other letter case) at the same time.
            throw new MaintenanceConflictException(state.Application, expectedVersion, await TryReadVersionAsync(state.Application).ConfigureAwait(false));
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            PostgreSqlLog.SaveFailed(_logger, state.Application, ex);
            var outcome = committing
                ? "the connection failed during COMMIT, so the change may or may not have been written: check the status and the audit trail before retrying"
                : "nothing was written";
            throw new MaintenanceStoreException(Describe(ex, $"The maintenance state of '{state.Application}' could not be written to PostgreSQL; {outcome}"), ex);
        }

        if (conflictVersion is { } actual)
        {
            throw new MaintenanceConflictException(state.Application, expectedVersion, actual);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _connections.WithConnectionAsync<IReadOnlyList<MaintenanceAuditEntry>>(
                async connection =>
                {
                    using var command = new NpgsqlCommand(
                        application is null
                            ? $"SELECT entry::text FROM {_auditTable} ORDER BY id DESC LIMIT @limit"
                            : $"SELECT entry::text FROM {_auditTable} WHERE lower(application) = lower(@application) ORDER BY id DESC LIMIT @limit",
                        connection);
                    command.Parameters.AddWithValue("limit", Math.Max(0, limit));
                    if (application is not null)
                    {
                        command.Parameters.AddWithValue("application", application);
                    }

                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var entries = new List<MaintenanceAuditEntry>();
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            entries.Add(Deserialize<MaintenanceAuditEntry>(reader.GetString(0)));
                        }

                        return entries;
                    }
                },
                () => true,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance audit trail could not be read from PostgreSQL"), ex);
        }
    }

    /// <inheritdoc />
    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        return _listener.WatchAsync(onChanged, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _schema.Dispose();
        await _connections.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _schema.Dispose();
        _connections.Dispose();
    }

    private async Task<long> ReadVersionAsync(NpgsqlConnection connection, string application, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand($"SELECT version FROM {_stateTable} WHERE lower(application) = lower(@application)", connection);
        command.Parameters.AddWithValue("application", application);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0;
    }

    private async Task<long> TryReadVersionAsync(string application)
    {
        try
        {
            var connection = await _connections.DataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await ReadVersionAsync(connection, application, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, CancellationToken.None))
        {
            return 0;
        }
    }

    private static T Deserialize<T>(string json)
        where T : class =>
        JsonSerializer.Deserialize<T>(json, s_json) ?? throw new JsonException($"A null {typeof(T).Name} was stored.");

    private string Describe(Exception ex, string what) => PostgreSqlErrors.Describe(ex, what, _options.Schema);
}
