using MaintenanceMiddleware;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>The PostgreSQL instance registry: the server's clock, unreadable rows, and the table on old and unmigrated schemas.</summary>
public sealed class InstanceRegistryTests : IAsyncLifetime
{
    // The tables exactly as the previous version's `maintenance migrate` created them (no instances table).
    private const string PreviousVersionSchema = """
        CREATE TABLE public.maintenance_state (application text PRIMARY KEY, version bigint NOT NULL, state jsonb NOT NULL, updated_at timestamptz NOT NULL);
        CREATE UNIQUE INDEX maintenance_state_application_ci ON public.maintenance_state (lower(application));
        CREATE TABLE public.maintenance_audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL, application text NOT NULL, action text NOT NULL, entry jsonb NOT NULL);
        CREATE INDEX maintenance_audit_application_id ON public.maintenance_audit (lower(application), id DESC);
        """;

    private readonly List<NpgsqlDataSource> _dataSources = [];
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await PgServer.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_heartbeat_is_stamped_with_the_servers_clock_even_when_the_instance_clock_is_hours_off()
    {
        await using var ahead = Store(new SkewedTime(TimeSpan.FromHours(5)));
        await using var behind = Store(new SkewedTime(TimeSpan.FromHours(-7)));
        await ahead.ReportAsync(InstanceReports.Report("web-ahead") with { LastHeartbeat = DateTimeOffset.UtcNow.AddHours(5) });
        await behind.ReportAsync(InstanceReports.Report("web-behind") with { LastHeartbeat = DateTimeOffset.UtcNow.AddHours(-7) });
        var serverNow = await ServerNowAsync();

        var list = await behind.GetInstancesAsync();

        // Both stamped by the server within the last moments, and both live by the server's clock (AsOf).
        Assert.InRange(list.AsOf, serverNow, serverNow + TimeSpan.FromSeconds(5));
        Assert.Equal(2, list.Instances.Count);
        foreach (var instance in list.Instances)
        {
            Assert.InRange(instance.LastHeartbeat, serverNow - TimeSpan.FromSeconds(5), list.AsOf);
        }

        Assert.Equal(["web-ahead", "web-behind"], list.Live.Select(i => i.InstanceId));
    }

    [Fact]
    public async Task A_corrupt_report_row_is_listed_as_unreadable_by_its_id_and_the_others_still_read()
    {
        await using var store = Store();
        await store.ReportAsync(InstanceReports.Report("web-good"));
        await ExecuteAsync("""
            INSERT INTO public.maintenance_instances (instance_id, session_id, application, report, last_heartbeat) VALUES
                ('web-null', 's', 'Storefront', 'null', now()),
                ('web-array', 's', 'Storefront', '[1, 2]', now()),
                ('web-missing', 's', 'Storefront', '{"instanceId": "web-missing"}', now())
            """);

        var list = await store.GetInstancesAsync();

        Assert.Equal("web-good", Assert.Single(list.Instances).InstanceId);
        Assert.Equal(3, list.Unreadable.Count);
        Assert.Equal("instance 'web-array': the stored report cannot be read (The JSON value could not be converted to MaintenanceMiddleware.MaintenanceInstanceReport. Path: $ | LineNumber: 0 | BytePositionInLine: 1)", list.Unreadable[0]);
        Assert.Equal("instance 'web-missing': the stored report cannot be read (JSON deserialization for type 'MaintenanceMiddleware.MaintenanceInstanceReport' was missing required properties including: 'sessionId', 'application', 'hostName')", list.Unreadable[1]);
        Assert.Equal("instance 'web-null': the stored report is null", list.Unreadable[2]);
    }

    [Fact]
    public async Task Migrate_adds_the_instances_table_to_a_schema_the_previous_version_migrated_and_keeps_its_state()
    {
        await ExecuteAsync(PreviousVersionSchema);
        await using (var old = Store(configure: o => o.CreateSchema = false))
        {
            await TestHosts.EnableAsync(TestHosts.CreateService(old));

            // Before the upgrade: the state works, the registry says what to do and creates nothing.
            var read = await Assert.ThrowsAsync<MaintenanceStoreException>(() => old.GetInstancesAsync());
            Assert.Equal("The instance reports could not be read from PostgreSQL: the maintenance tables do not exist in schema 'public'. Run `maintenance migrate --postgres <connection string>` or set MaintenanceMode:PostgreSql:CreateSchema=true.", read.Message);
            var write = await Assert.ThrowsAsync<MaintenanceStoreException>(() => old.ReportAsync(InstanceReports.Report("web-1")));
            Assert.StartsWith("The report of instance 'web-1' could not be written to PostgreSQL: the maintenance tables do not exist in schema 'public'. Run `maintenance migrate", write.Message, StringComparison.Ordinal);
            Assert.False(await ExistsAsync("public.maintenance_instances"));
        }

        await using (var migrator = Store())
        {
            await migrator.MigrateAsync();
        }

        Assert.True(await ExistsAsync("public.maintenance_instances"));
        await using var upgraded = Store(configure: o => o.CreateSchema = false);
        Assert.True(Assert.Single(await upgraded.GetStatesAsync()).Enabled);
        await upgraded.ReportAsync(InstanceReports.Report("web-1"));
        Assert.Equal("web-1", Assert.Single((await upgraded.GetInstancesAsync()).Instances).InstanceId);
    }

    [Fact]
    public async Task On_an_old_schema_a_user_who_may_not_create_tables_still_switches_and_a_report_says_to_migrate()
    {
        await ExecuteAsync(PreviousVersionSchema);
        var role = "mm_app_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"""
            CREATE ROLE {role} LOGIN;
            GRANT CONNECT ON DATABASE {new NpgsqlConnectionStringBuilder(_connectionString).Database} TO {role};
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE ON public.maintenance_state, public.maintenance_audit TO {role};
            GRANT USAGE ON SEQUENCE public.maintenance_audit_id_seq TO {role};
            """);
        try
        {
            // CreateSchema=true (the default): the state write does not need the new table, so it does not try to create it.
            await using var store = Store(connectionString: new NpgsqlConnectionStringBuilder(_connectionString) { Username = role }.ConnectionString);
            await TestHosts.EnableAsync(TestHosts.CreateService(store));
            Assert.True(Assert.Single(await store.GetStatesAsync()).Enabled);

            var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.ReportAsync(InstanceReports.Report("web-1")));
            Assert.StartsWith("The report of instance 'web-1' could not be written to PostgreSQL: the database user lacks a privilege (permission denied for schema public). Run `maintenance migrate`", error.Message, StringComparison.Ordinal);
            Assert.False(await ExistsAsync("public.maintenance_instances"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role};");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_read_of_a_schema_never_migrated_creates_nothing(bool createSchema)
    {
        await using var store = Store(configure: o => (o.Schema, o.CreateSchema) = ("typo", createSchema));

        if (createSchema)
        {
            // The application before its first write: no instance yet, by the server's clock.
            var list = await store.GetInstancesAsync();
            Assert.Empty(list.Instances);
            Assert.InRange(list.AsOf, await ServerNowAsync() - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5));
            await store.RemoveAsync("web-1", "s");
        }
        else
        {
            // The CLI (CreateSchema=false): an error that says to migrate.
            var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetInstancesAsync());
            Assert.Equal("The instance reports could not be read from PostgreSQL: the maintenance tables do not exist in schema 'typo'. Run `maintenance migrate --postgres <connection string>` or set MaintenanceMode:PostgreSql:CreateSchema=true.", error.Message);
            await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.RemoveAsync("web-1", "s"));
        }

        Assert.False(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'typo')"));
    }

    [Fact]
    public async Task The_first_report_creates_the_tables_when_CreateSchema_is_on()
    {
        await using var store = Store();
        await store.ReportAsync(InstanceReports.Report("web-1"));
        Assert.True(await ExistsAsync("public.maintenance_instances"));
        Assert.True(await ExistsAsync("public.maintenance_state"));
        Assert.Equal("web-1", Assert.Single((await store.GetInstancesAsync()).Instances).InstanceId);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_store_error_naming_it()
    {
        await using var store = Store(connectionString: new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 2 }.ConnectionString);
        var read = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetInstancesAsync());
        Assert.StartsWith("The instance reports could not be read from PostgreSQL: the PostgreSQL server at 127.0.0.1:1 could not be reached", read.Message, StringComparison.Ordinal);
        var write = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.ReportAsync(InstanceReports.Report("web-1")));
        Assert.StartsWith("The report of instance 'web-1' could not be written to PostgreSQL: the PostgreSQL server at 127.0.0.1:1 could not be reached", write.Message, StringComparison.Ordinal);
    }

    private PostgreSqlMaintenanceStateStore Store(TimeProvider? time = null, Action<PostgreSqlStoreOptions>? configure = null, string? connectionString = null)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString ?? _connectionString);
        _dataSources.Add(dataSource);
        var options = new PostgreSqlStoreOptions { PollInterval = TimeSpan.FromMinutes(5), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        return new PostgreSqlMaintenanceStateStore(dataSource, Options.Create(options), NullLogger<PostgreSqlMaintenanceStateStore>.Instance, time ?? TimeProvider.System);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Task<bool> ExistsAsync(string table) => ScalarAsync<bool>($"SELECT to_regclass('{table}') IS NOT NULL");

    private async Task<DateTimeOffset> ServerNowAsync() => new(await ScalarAsync<DateTime>("SELECT now()"), TimeSpan.Zero);

    /// <summary>A machine clock that is off by a fixed amount.</summary>
    private sealed class SkewedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
