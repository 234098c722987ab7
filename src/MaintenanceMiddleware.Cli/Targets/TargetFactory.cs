using MaintenanceMiddleware.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>Creates the target the operator chose. Tests pass their own factory to run the CLI in-process over any store.</summary>
internal class TargetFactory
{
    public virtual IMaintenanceTarget Create(TargetSelection selection, TimeProvider time)
    {
        if (selection.Url is { } url)
        {
            return new HttpTarget(url, selection.ApiKey ?? throw CliException.Usage("An API key is required with --url: pass --api-key or set MAINTENANCE_API_KEY."));
        }

        if (selection.Postgres is { } connectionString)
        {
            var (store, dataSource) = CreatePostgreSqlStore(connectionString, selection.PostgresSchema, time);
            return new StoreTarget(store, $"PostgreSQL database {DescribeDatabase(dataSource)}", time, dataSource);
        }

        if (selection.Redis is { } redis)
        {
            return RedisTarget.Create(redis, selection.RedisKeyPrefix, time);
        }

        if (selection.File is { } file)
        {
            var path = Path.GetFullPath(file);
            CheckFile(path, selection.CreateFile);
            var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = path });
            return new StoreTarget(store, $"state file {path}", time);
        }

        // No target: the machine's default state file, the one an application started with defaults on this machine uses
        // (MaintenanceMode__FileStore__Path, else MAINTENANCE_STATE_DIR, else the per-OS folder; see FileStoreLocation).
        var defaultPath = FileStoreLocation.CliStatePath();
        return new StoreTarget(new FileMaintenanceStateStore(new FileStoreOptions { Path = defaultPath }), $"state file {defaultPath} (the machine's default)", time);
    }

    /// <summary>Creates the PostgreSQL store over a new data source that the caller disposes.</summary>
    public static (PostgreSqlMaintenanceStateStore Store, NpgsqlDataSource DataSource) CreatePostgreSqlStore(string connectionString, string? schema, TimeProvider time)
    {
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage($"The PostgreSQL connection string is invalid: {ex.Message}");
        }

        // The CLI never creates a schema or a table (a typo in --schema would otherwise create one): a schema that was
        // never migrated is an error that says to run `maintenance migrate`, which calls MigrateAsync itself.
        var options = new PostgreSqlStoreOptions { ConnectionString = connectionString, CreateSchema = false };
        if (!string.IsNullOrWhiteSpace(schema))
        {
            options.Schema = schema;
        }

        var store = new PostgreSqlMaintenanceStateStore(dataSource, Options.Create(options), NullLogger<PostgreSqlMaintenanceStateStore>.Instance, time);
        return (store, dataSource);
    }

    /// <summary>A missing state file is a typo until <c>--create</c> says otherwise; a missing folder is never created.</summary>
    internal static void CheckFile(string path, bool create)
    {
        // An app that runs with the file store reports itself before anyone switched it: its instances folder is proof enough.
        if (File.Exists(path) || Directory.Exists(FileStorePaths.Resolve(path, null).InstancesDirectory))
        {
            return;
        }

        if (Directory.Exists(path))
        {
            throw CliException.Usage($"--file: '{path}' is a folder; give the state file inside it (the app's MaintenanceMode:FileStore:Path).");
        }

        if (!create)
        {
            throw CliException.Usage($"--file: '{path}' does not exist. Check the path (the app's MaintenanceMode:FileStore:Path), or pass --create to start a new state file there. Nothing changed.");
        }

        if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
        {
            throw CliException.Usage($"--file: the folder '{folder}' does not exist; the CLI never creates folders. Create it first (mkdir -p), then run again with --create. Nothing changed.");
        }
    }

    private static string DescribeDatabase(NpgsqlDataSource dataSource)
    {
        // Never echo the password: only host, port and database.
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{builder.Database ?? "(default)"} on {builder.Host}:{builder.Port}";
    }
}
