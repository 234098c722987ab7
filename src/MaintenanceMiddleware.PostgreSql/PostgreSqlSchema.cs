using Microsoft.Extensions.Logging;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// The store's tables: their quoted names, and their idempotent creation under an advisory lock, so instances starting
/// at once create them one after another.
/// </summary>
internal sealed class PostgreSqlSchema : IDisposable
{
    // A fixed key for pg_advisory_xact_lock, so instances starting at once create the tables one after another.
    private const long MigrationLockKey = 0x4D61_696E_7453_7431; // "MaintSt1"

    private readonly PostgreSqlStoreOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private volatile bool _ready;

    public PostgreSqlSchema(PostgreSqlStoreOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        StateTable = $"{Quote(options.Schema)}.{Quote(options.StateTable)}";
        AuditTable = $"{Quote(options.Schema)}.{Quote(options.AuditTable)}";
    }

    /// <summary>The state table, schema-qualified and quoted for SQL.</summary>
    public string StateTable { get; }

    /// <summary>The audit table, schema-qualified and quoted for SQL.</summary>
    public string AuditTable { get; }

    /// <summary>Quotes an identifier for SQL (a double quote inside is doubled, so no name can break out).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Creates the schema and tables on <paramref name="connection"/> if they do not exist.</summary>
    public async Task<bool> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var created = await CreateAsync(connection, cancellationToken).ConfigureAwait(false);
        _ready = true;
        if (created)
        {
            PostgreSqlLog.SchemaReady(_logger, _options.Schema, _options.StateTable, _options.AuditTable);
        }

        return created;
    }

    /// <summary>Before the first write: creates the tables when <see cref="PostgreSqlStoreOptions.CreateSchema"/> is set; once per store.</summary>
    public async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_ready || !_options.CreateSchema)
        {
            return;
        }

        await _migrateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    public void Dispose() => _migrateLock.Dispose();

    private async Task<bool> CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await PostgreSqlConnections.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);

            // CREATE ... IF NOT EXISTS needs the CREATE privilege even when the object exists: an application
            // user without it must still start once `maintenance migrate` has created the tables.
            using (var ready = new NpgsqlCommand("SELECT to_regclass(@state) IS NOT NULL AND to_regclass(@audit) IS NOT NULL", connection))
            {
                ready.Parameters.AddWithValue("state", StateTable);
                ready.Parameters.AddWithValue("audit", AuditTable);
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
                """,
                cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }
}
