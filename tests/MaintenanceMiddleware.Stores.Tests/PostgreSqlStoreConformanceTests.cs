using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>The PostgreSQL store on the real server (MM_TEST_POSTGRES), a fresh database per test.</summary>
public sealed class PostgreSqlStoreConformanceTests : ReconnectingStoreConformanceTests
{
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private string _connectionString = null!;
    private string _database = null!;

    public override async Task InitializeAsync()
    {
        _database = "mm_conf_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = await OpenAdminAsync())
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Database = _database }.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    protected override Task<IMaintenanceStateStore> OpenStoreAsync()
    {
        var dataSource = NpgsqlDataSource.Create(_connectionString);
        _dataSources.Add(dataSource);
        var options = new PostgreSqlStoreOptions { PollInterval = TimeSpan.FromMinutes(5), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        return Task.FromResult<IMaintenanceStateStore>(new PostgreSqlMaintenanceStateStore(dataSource, Options.Create(options), NullLogger<PostgreSqlMaintenanceStateStore>.Instance, TimeProvider.System));
    }

    protected override async Task DropConnectionsAsync()
    {
        await using var admin = await OpenAdminAsync();
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", admin);
        kill.Parameters.AddWithValue("database", _database);
        await kill.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestServers.PostgreSql) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
