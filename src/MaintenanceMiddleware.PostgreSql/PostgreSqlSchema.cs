using Microsoft.Extensions.Logging;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// The store's tables: their quoted names, and their idempotent creation under an advisory lock, so instances starting
/// at once create them one after another.
/// </summary>
/// <remarks>
/// The schema has no version number: each table is created when it is missing (<c>CREATE ... IF NOT EXISTS</c>), so a
/// schema migrated by an earlier version (state and audit tables only) gains the instances table on the next
/// <c>maintenance migrate</c>, or on the first instance report with <see cref="PostgreSqlStoreOptions.CreateSchema"/>.
/// State writes need only the state and audit tables: an application user without the CREATE privilege keeps switching
/// on such a schema until someone migrates it.
/// </remarks>
internal sealed class PostgreSqlSchema : IDisposable
{
    // A fixed key for pg_advisory_xact_lock, so instances starting at once create the tables one after another.
    private const long MigrationLockKey = 0x4D61_696E_7453_7431; // "MaintSt1"

    private readonly PostgreSqlStoreOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private volatile bool _stateReady;
    private volatile bool _instancesReady;

    public PostgreSqlSchema(PostgreSqlStoreOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        StateTable = $"{Quote(options.Schema)}.{Quote(options.StateTable)}";
        AuditTable = $"{Quote(options.Schema)}.{Quote(options.AuditTable)}";
        InstancesTable = $"{Quote(options.Schema)}.{Quote(options.InstancesTable)}";
    }

    /// <summary>The state table, schema-qualified and quoted for SQL.</summary>
    public string StateTable { get; }

    /// <summary>The audit table, schema-qualified and quoted for SQL.</summary>
    public string AuditTable { get; }

    /// <summary>The instances table, schema-qualified and quoted for SQL.</summary>
    public string InstancesTable { get; }

    /// <summary>Quotes an identifier for SQL (a double quote inside is doubled, so no name can break out).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Whether the instances table is known to exist (or <see cref="PostgreSqlStoreOptions.CreateSchema"/> is off, so nothing will create it).</summary>
    public bool InstancesReady => _instancesReady || !_options.CreateSchema;

    /// <summary>Creates the schema and every table on <paramref name="connection"/> if they do not exist.</summary>
    public Task<bool> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        MigrateAsync(connection, instances: true, cancellationToken);

    /// <summary>
    /// Before the first write: creates the tables when <see cref="PostgreSqlStoreOptions.CreateSchema"/> is set; once per
    /// store. <paramref name="instances"/>: the write needs the instances table too (a state write does not).
    /// </summary>
    public async Task EnsureAsync(NpgsqlConnection connection, bool instances, CancellationToken cancellationToken)
    {
        if (IsReady(instances) || !_options.CreateSchema)
        {
            return;
        }

        await _migrateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsReady(instances))
            {
                await MigrateAsync(connection, instances, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    public void Dispose() => _migrateLock.Dispose();

    private bool IsReady(bool instances) => _stateReady && (!instances || _instancesReady);

    private async Task<bool> MigrateAsync(NpgsqlConnection connection, bool instances, CancellationToken cancellationToken)
    {
        var (created, instancesExist) = await CreateAsync(connection, instances, cancellationToken).ConfigureAwait(false);
        _stateReady = true;
        _instancesReady |= instancesExist;
        if (created)
        {
            PostgreSqlLog.SchemaReady(_logger, _options.Schema, _options.StateTable, _options.AuditTable, _options.InstancesTable);
        }

        return created;
    }

    // Creates what is missing; returns whether it created anything, and whether the instances table exists now.
    private async Task<(bool Created, bool InstancesExist)> CreateAsync(NpgsqlConnection connection, bool instances, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await PostgreSqlConnections.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);

            // CREATE ... IF NOT EXISTS needs the CREATE privilege even when the object exists: an application
            // user without it must still start once `maintenance migrate` has created the tables.
            using (var ready = new NpgsqlCommand("SELECT to_regclass(@state) IS NOT NULL AND to_regclass(@audit) IS NOT NULL, to_regclass(@instances) IS NOT NULL", connection))
            {
                ready.Parameters.AddWithValue("state", StateTable);
                ready.Parameters.AddWithValue("audit", AuditTable);
                ready.Parameters.AddWithValue("instances", InstancesTable);
                var reader = await ready.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                bool stateExists, instancesExist;
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    (stateExists, instancesExist) = (reader.GetBoolean(0), reader.GetBoolean(1));
                }

                if (stateExists && (instancesExist || !instances))
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return (false, instancesExist);
                }
            }

            using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", connection))
            {
                exists.Parameters.AddWithValue("schema", _options.Schema);
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    await PostgreSqlConnections.ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Quote(_options.Schema)}", cancellationToken).ConfigureAwait(false);
                }
            }

            await PostgreSqlConnections.ExecuteAsync(
                connection,
                $"""
                CREATE TABLE IF NOT EXISTS {StateTable} (
                    application text PRIMARY KEY,
                    version bigint NOT NULL,
                    state jsonb NOT NULL,
                    updated_at timestamptz NOT NULL);
                CREATE UNIQUE INDEX IF NOT EXISTS {Quote(_options.StateTable + "_application_ci")} ON {StateTable} (lower(application));
                CREATE TABLE IF NOT EXISTS {AuditTable} (
                    id bigserial PRIMARY KEY,
                    at timestamptz NOT NULL,
                    application text NOT NULL,
                    action text NOT NULL,
                    entry jsonb NOT NULL);
                CREATE INDEX IF NOT EXISTS {Quote(_options.AuditTable + "_application_id")} ON {AuditTable} (lower(application), id DESC);
                CREATE TABLE IF NOT EXISTS {InstancesTable} (
                    instance_id text PRIMARY KEY,
                    session_id text NOT NULL,
                    application text NOT NULL,
                    report jsonb NOT NULL,
                    last_heartbeat timestamptz NOT NULL);
                """,
                cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (true, true);
        }
    }
}
