using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// Keeps maintenance state, its audit trail and the running instances' reports in PostgreSQL tables and pushes every
/// change to all instances with <c>LISTEN</c>/<c>NOTIFY</c>.
/// </summary>
/// <remarks>
/// A change is one transaction: the version-checked state row, the audit row and <c>pg_notify</c>. Every instance holds
/// one connection: it listens on it, and its reads and instance reports run over it, so an idle instance issues no
/// query except the safety poll every <see cref="PostgreSqlStoreOptions.PollInterval"/> (and its heartbeat). State
/// writes open a short-lived connection. A waiter watching the instances holds a second one. Options are validated at
/// start-up (<c>ValidateOnStart</c>) when the store is registered with <c>UsePostgreSql</c>.
/// </remarks>
public sealed partial class PostgreSqlMaintenanceStateStore : IMaintenanceStateStore, IAsyncDisposable, IDisposable
{
    private readonly PostgreSqlConnections _connections;
    private readonly PostgreSqlSchema _schema;
    private readonly PostgreSqlChangeListener _listener;
    private readonly PostgreSqlStoreOptions _options;
    private readonly ILogger<PostgreSqlMaintenanceStateStore> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _endpoint;

    /// <summary>Creates the store over <paramref name="dataSource"/>. The caller owns the data source.</summary>
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
        _logger = logger;
        _timeProvider = timeProvider;
        _connections = new PostgreSqlConnections(dataSource, ownsDataSource);
        _schema = new PostgreSqlSchema(_options, logger);
        _listener = new PostgreSqlChangeListener(_options.ChannelName, _options, _connections, _connections.Shared, logger, timeProvider);

        // host:port only, for messages: never the password or the rest of the connection string.
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _endpoint = $"{builder.Host}:{builder.Port}";
    }

    /// <summary>
    /// Creates the schema and tables if they do not exist (idempotent, safe to run from many instances at once); on a
    /// schema created by an earlier version it adds the tables that version did not have (the instances table).
    /// </summary>
    /// <exception cref="MaintenanceStoreException">The database could not be reached or the user may not create the tables.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _connections.WithConnectionAsync(c => _schema.MigrateAsync(c, cancellationToken), () => true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance tables could not be created"), ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>Creates nothing: before the first write (with <see cref="PostgreSqlStoreOptions.CreateSchema"/>) there is no state.</remarks>
    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _connections.ReadAsync<IReadOnlyList<MaintenanceState>>(
                async connection =>
                {
                    using var command = new NpgsqlCommand($"SELECT version, state::text FROM {_schema.StateTable}", connection);
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var states = new List<MaintenanceState>();
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var state = Deserialize(reader.GetString(1), MaintenanceStoreJson.State);
                            states.Add(state with { Version = reader.GetInt64(0) });
                        }

                        return states;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgreSqlErrors.UndefinedTable && _options.CreateSchema)
        {
            return [];
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
        var committing = false;
        long? conflictVersion;
        try
        {
            conflictVersion = await _connections.WithConnectionAsync<long?>(
                async connection =>
                {
                    await _schema.EnsureAsync(connection, instances: false, cancellationToken).ConfigureAwait(false);
                    var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        // One round trip: the version-checked write, the audit row, the notification (sent only on commit).
                        using var batch = new NpgsqlBatch(connection, transaction);
                        var write = expectedVersion == 0
                            ? new NpgsqlBatchCommand($"INSERT INTO {_schema.StateTable} (application, version, state, updated_at) VALUES (@application, @version, @state, @at) ON CONFLICT DO NOTHING")
                            : new NpgsqlBatchCommand($"UPDATE {_schema.StateTable} SET version = @version, state = @state, updated_at = @at WHERE lower(application) = lower(@application) AND version = @expected");
                        write.Parameters.AddWithValue("application", state.Application);
                        write.Parameters.AddWithValue("version", state.Version);
                        write.Parameters.AddWithValue("state", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(state, MaintenanceStoreJson.State));
                        write.Parameters.AddWithValue("at", state.ChangedAt ?? _timeProvider.GetUtcNow());
                        write.Parameters.AddWithValue("expected", expectedVersion);
                        batch.BatchCommands.Add(write);

                        var audit = new NpgsqlBatchCommand($"INSERT INTO {_schema.AuditTable} (at, application, action, entry) VALUES (@at, @application, @action, @entry)");
                        audit.Parameters.AddWithValue("at", auditEntry.Timestamp);
                        audit.Parameters.AddWithValue("application", auditEntry.Application);
                        audit.Parameters.AddWithValue("action", auditEntry.Action.ToString());
                        audit.Parameters.AddWithValue("entry", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(auditEntry, MaintenanceStoreJson.AuditEntry));
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
    /// <remarks>Creates nothing: before the first write (with <see cref="PostgreSqlStoreOptions.CreateSchema"/>) the trail is empty.</remarks>
    public async Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _connections.ReadAsync<IReadOnlyList<MaintenanceAuditEntry>>(
                async connection =>
                {
                    using var command = new NpgsqlCommand(
                        application is null
                            ? $"SELECT entry::text FROM {_schema.AuditTable} ORDER BY id DESC LIMIT @limit"
                            : $"SELECT entry::text FROM {_schema.AuditTable} WHERE lower(application) = lower(@application) ORDER BY id DESC LIMIT @limit",
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
                            entries.Add(Deserialize(reader.GetString(0), MaintenanceStoreJson.AuditEntry));
                        }

                        return entries;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgreSqlErrors.UndefinedTable && _options.CreateSchema)
        {
            return [];
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance audit trail could not be read from PostgreSQL"), ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reports each notification, a full reload after every (re)connect and once the listening connection is lost, and
    /// one report every <see cref="PostgreSqlStoreOptions.PollInterval"/> without a notification (the safety poll).
    /// </remarks>
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
        using var command = new NpgsqlCommand($"SELECT version FROM {_schema.StateTable} WHERE lower(application) = lower(@application)", connection);
        command.Parameters.AddWithValue("application", application);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0;
    }

    private async Task<long> TryReadVersionAsync(string application)
    {
        try
        {
            return await _connections.WithConnectionAsync(c => ReadVersionAsync(c, application, CancellationToken.None), () => true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, CancellationToken.None))
        {
            return 0;
        }
    }

    private static T Deserialize<T>(string json, JsonTypeInfo<T> shape)
        where T : class =>
        JsonSerializer.Deserialize(json, shape) ?? throw new JsonException($"A null {typeof(T).Name} was stored.");

    private string Describe(Exception ex, string what) => PostgreSqlErrors.Describe(ex, what, _options.Schema, _endpoint);
}
