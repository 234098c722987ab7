using System.Data;
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
    // A fixed key for pg_advisory_xact_lock, so instances starting at once create the tables one after another.
    private const long MigrationLockKey = 0x4D61_696E_7453_7431; // "MaintSt1"
    private const string UniqueViolation = "23505";
    private const string UndefinedTable = "42P01";
    private const string InsufficientPrivilege = "42501";

    private static readonly TimeSpan s_initialReconnectDelay = TimeSpan.FromMilliseconds(100);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgreSqlStoreOptions _options;
    private readonly ILogger<PostgreSqlMaintenanceStateStore> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private readonly string _stateTable;
    private readonly string _auditTable;
    private volatile bool _schemaReady;

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

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _logger = logger;
        _timeProvider = timeProvider;
        _stateTable = $"\"{_options.Schema}\".\"{_options.StateTable}\"";
        _auditTable = $"\"{_options.Schema}\".\"{_options.AuditTable}\"";
    }

    /// <summary>Creates the schema and tables if they do not exist (idempotent, safe to run from many instances at once).</summary>
    /// <exception cref="MaintenanceStoreException">The database could not be reached or the user may not create the tables.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        bool created;
        try
        {
            created = await WithConnectionAsync(
                async connection =>
                {
                    var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);

                        // CREATE ... IF NOT EXISTS needs the CREATE privilege even when the object exists: an application
                        // user without it must still start once `maintenance migrate` has created the tables.
                        using (var ready = new NpgsqlCommand("SELECT to_regclass(@state) IS NOT NULL AND to_regclass(@audit) IS NOT NULL", connection))
                        {
                            ready.Parameters.AddWithValue("state", _stateTable);
                            ready.Parameters.AddWithValue("audit", _auditTable);
                            if ((bool)(await ready.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                            {
                                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                                return false;
                            }
                        }

                        using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", connection))
                        {
                            exists.Parameters.AddWithValue("schema", _options.Schema);
                            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                            {
                                await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS \"{_options.Schema}\"", cancellationToken).ConfigureAwait(false);
                            }
                        }

                        await ExecuteAsync(
                            connection,
                            $"""
                            CREATE TABLE IF NOT EXISTS {_stateTable} (
                                application text PRIMARY KEY,
                                version bigint NOT NULL,
                                state jsonb NOT NULL,
                                updated_at timestamptz NOT NULL);
                            CREATE UNIQUE INDEX IF NOT EXISTS "{_options.StateTable}_application_ci" ON {_stateTable} (lower(application));
                            CREATE TABLE IF NOT EXISTS {_auditTable} (
                                id bigserial PRIMARY KEY,
                                at timestamptz NOT NULL,
                                application text NOT NULL,
                                action text NOT NULL,
                                entry jsonb NOT NULL);
                            CREATE INDEX IF NOT EXISTS "{_options.AuditTable}_application_id" ON {_auditTable} (lower(application), id DESC);
                            """,
                            cancellationToken).ConfigureAwait(false);
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                },
                () => true,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance tables could not be created"), ex);
        }

        _schemaReady = true;
        if (created)
        {
            PostgreSqlLog.SchemaReady(_logger, _options.Schema, _options.StateTable, _options.AuditTable);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WithConnectionAsync<IReadOnlyList<MaintenanceState>>(
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
        catch (Exception ex) when (IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance state could not be read from PostgreSQL"), ex);
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(auditEntry);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var committing = false;
        long? conflictVersion;
        try
        {
            conflictVersion = await WithConnectionAsync<long?>(
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
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            // Another instance inserted the first state of this application (perhaps in other letter case) at the same time.
            throw new MaintenanceConflictException(state.Application, expectedVersion, await TryReadVersionAsync(state.Application).ConfigureAwait(false));
        }
        catch (Exception ex) when (IsDatabaseError(ex, cancellationToken))
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
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WithConnectionAsync<IReadOnlyList<MaintenanceAuditEntry>>(
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
        catch (Exception ex) when (IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance audit trail could not be read from PostgreSQL"), ex);
        }
    }

    /// <inheritdoc />
    public async Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var delay = s_initialReconnectDelay;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, $"LISTEN \"{_options.ChannelName}\"", cancellationToken).ConfigureAwait(false);
                    PostgreSqlLog.Listening(_logger, _options.ChannelName);
                    if (failures > 0)
                    {
                        PostgreSqlLog.ListenRestored(_logger, failures);
                    }

                    failures = 0;
                    delay = s_initialReconnectDelay;

                    // A full reload now: notifications sent while this instance was not listening are lost.
                    await onChanged(cancellationToken).ConfigureAwait(false);
                    while (true)
                    {
                        if (!await connection.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false))
                        {
                            // Safety net: prove the connection is alive (a silent network drop never raises an error) and reload.
                            await ExecuteAsync(connection, "SELECT 1", cancellationToken).ConfigureAwait(false);
                        }

                        await onChanged(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsDatabaseError(ex, cancellationToken))
            {
                // One warning per outage; the retries that follow are logged at debug level.
                failures++;
                if (failures == 1)
                {
                    PostgreSqlLog.ListenFailed(_logger, delay, ex);
                }
                else
                {
                    PostgreSqlLog.ListenRetryFailed(_logger, failures, delay, ex);
                }

                // Pooled connections to a restarted server are dead too: drop them so the reload after reconnecting works at once.
                _dataSource.Clear();
            }

            try
            {
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _migrateLock.Dispose();
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _migrateLock.Dispose();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady || !_options.CreateSchema)
        {
            return;
        }

        await _migrateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    // Runs work on a pooled connection. After a server restart the pool may hand out a connection that is already dead:
    // then (when the work says a retry is safe) the pool is cleared and the work runs once more on a fresh connection.
    private async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, Func<bool> canRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    return await work(connection).ConfigureAwait(false);
                }
                catch (NpgsqlException) when (attempt == 1 && connection.State != ConnectionState.Open && canRetry() && !cancellationToken.IsCancellationRequested)
                {
                    _dataSource.Clear();
                }
            }
        }
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
            var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await ReadVersionAsync(connection, application, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsDatabaseError(ex, CancellationToken.None))
        {
            return 0;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static T Deserialize<T>(string json)
        where T : class =>
        JsonSerializer.Deserialize<T>(json, s_json) ?? throw new JsonException($"A null {typeof(T).Name} was stored.");

    // Everything the database or the network can throw, but not the caller's own cancellation.
    private static bool IsDatabaseError(Exception ex, CancellationToken cancellationToken) =>
        ex is NpgsqlException or JsonException or InvalidOperationException or IOException or TimeoutException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private string Describe(Exception ex, string what) => ex switch
    {
        PostgresException { SqlState: UndefinedTable } =>
            $"{what}: the maintenance tables do not exist in schema '{_options.Schema}'. Run `maintenance migrate --postgres <connection string>` or set MaintenanceMode:PostgreSql:CreateSchema=true. ({ex.Message})",
        PostgresException { SqlState: InsufficientPrivilege } =>
            $"{what}: the database user lacks a privilege. Run `maintenance migrate` with a user that may create tables, then grant SELECT, INSERT, UPDATE on the tables to the application's user. ({ex.Message})",
        _ => $"{what}: {ex.Message}",
    };
}
