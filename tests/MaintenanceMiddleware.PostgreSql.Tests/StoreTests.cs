using MaintenanceMiddleware;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

public sealed class StoreTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await PgServer.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task State_round_trips_with_every_field()
    {
        await using var store = TestHosts.CreateStore(_dataSource);
        var service = TestHosts.CreateService(store);
        var endsAt = DateTimeOffset.UtcNow.AddDays(30);
        await service.EnableAsync(new EnableMaintenanceRequest
        {
            Application = "Storefront",
            Reason = "Release 42",
            Mode = MaintenanceMode.ReadOnly,
            EndsAt = endsAt,
            AllowedNetworks = ["10.0.0.0/8", "2001:db8::/32"],
            Actor = new MaintenanceActor("alice", "10.1.2.3"),
        });

        await using var other = TestHosts.CreateStore(_dataSource);
        var state = Assert.Single(await other.GetStatesAsync());
        Assert.Equal("Storefront", state.Application);
        Assert.True(state.Enabled);
        Assert.Equal(MaintenanceMode.ReadOnly, state.Mode);
        Assert.Equal("Release 42", state.Reason);
        Assert.Equal(endsAt, state.EndsAt);
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32"], state.AllowedNetworks);
        Assert.Equal("alice", state.ChangedBy);
        Assert.Equal(1, state.Version);
    }

    [Fact]
    public async Task Audit_trail_is_newest_first_and_filters_by_application()
    {
        await using var store = TestHosts.CreateStore(_dataSource);
        var service = TestHosts.CreateService(store);
        await TestHosts.EnableAsync(service, "Storefront", "one");
        await TestHosts.EnableAsync(service, "*", "two");
        await TestHosts.DisableAsync(service, "Storefront", "three");

        var all = await store.GetAuditTrailAsync();
        Assert.Equal(["three", "two", "one"], all.Select(e => e.Reason));
        var storefront = await store.GetAuditTrailAsync("storefront");
        Assert.Equal(["three", "one"], storefront.Select(e => e.Reason));
        Assert.Equal(MaintenanceAction.Disable, storefront[0].Action);
        Assert.True(storefront[0].Before.Enabled);
        Assert.False(storefront[0].After.Enabled);
        Assert.Equal("tester", storefront[0].Actor);
        Assert.Single(await store.GetAuditTrailAsync(limit: 1));
    }

    [Fact]
    public async Task Stale_version_is_a_conflict_and_writes_nothing()
    {
        await using var store = TestHosts.CreateStore(_dataSource);
        var service = TestHosts.CreateService(store);
        var first = await TestHosts.EnableAsync(service);

        var stale = first with { Reason = "late", Version = 2 };
        var entry = AuditFor(stale, "late");
        var conflict = await Assert.ThrowsAsync<MaintenanceConflictException>(() => store.SaveAsync(stale with { Version = 1 }, 0, entry));
        Assert.Equal(1, conflict.ActualVersion);
        conflict = await Assert.ThrowsAsync<MaintenanceConflictException>(() => store.SaveAsync(stale with { Version = 6 }, 5, entry));
        Assert.Equal(1, conflict.ActualVersion);

        Assert.Equal("Release 42", Assert.Single(await store.GetStatesAsync()).Reason);
        Assert.Single(await store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Two_instances_racing_get_one_winner_and_one_conflict()
    {
        await using var dataSourceB = NpgsqlDataSource.Create(_connectionString);
        await using var storeA = TestHosts.CreateStore(_dataSource);
        await using var storeB = TestHosts.CreateStore(dataSourceB);
        await TestHosts.EnableAsync(TestHosts.CreateService(storeA), "Storefront", "base");

        for (var round = 0; round < 10; round++)
        {
            var current = Assert.Single(await storeA.GetStatesAsync());
            var a = current with { Reason = $"A{round}", Version = current.Version + 1 };
            var b = current with { Reason = $"B{round}", Version = current.Version + 1 };
            var results = await Task.WhenAll(
                Capture(() => storeA.SaveAsync(a, current.Version, AuditFor(a, a.Reason!))),
                Capture(() => storeB.SaveAsync(b, current.Version, AuditFor(b, b.Reason!))));

            Assert.Single(results, r => r is null);
            Assert.IsType<MaintenanceConflictException>(Assert.Single(results, r => r is not null));
            var stored = Assert.Single(await storeB.GetStatesAsync());
            Assert.Equal(current.Version + 1, stored.Version);
            var winner = results[0] is null ? $"A{round}" : $"B{round}";
            Assert.Equal(winner, stored.Reason);
            Assert.Equal(winner, (await storeA.GetAuditTrailAsync(limit: 1))[0].Reason);
        }

        // One audit entry per successful change: the base plus one winner per round.
        Assert.Equal(11, (await storeA.GetAuditTrailAsync()).Count);
    }

    [Fact]
    public async Task First_writes_from_two_instances_in_different_letter_case_conflict()
    {
        await using var storeA = TestHosts.CreateStore(_dataSource);
        var a = MaintenanceState.Off("Storefront") with { Enabled = true, Reason = "a", Version = 1 };
        var b = MaintenanceState.Off("STOREFRONT") with { Enabled = true, Reason = "b", Version = 1 };
        await storeA.SaveAsync(a, 0, AuditFor(a, "a"));
        await Assert.ThrowsAsync<MaintenanceConflictException>(() => storeA.SaveAsync(b, 0, AuditFor(b, "b")));
        Assert.Equal("a", Assert.Single(await storeA.GetStatesAsync()).Reason);
    }

    [Fact]
    public async Task Migrations_from_many_instances_at_once_all_succeed_and_are_idempotent()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => TestHosts.CreateStore(_dataSource, o => o.Schema = "maint")).ToList();
        await Task.WhenAll(stores.Select(s => s.MigrateAsync()));
        await stores[0].MigrateAsync();
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'maint'", connection);
        Assert.Equal("maintenance_audit,maintenance_instances,maintenance_state", await command.ExecuteScalarAsync());
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Custom_schema_and_table_names_are_used()
    {
        await using var store = TestHosts.CreateStore(_dataSource, o =>
        {
            o.Schema = "ops";
            o.StateTable = "mm_state";
            o.AuditTable = "mm_audit";
        });
        await TestHosts.EnableAsync(TestHosts.CreateService(store));
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM ops.mm_state) + (SELECT count(*) FROM ops.mm_audit)", connection);
        Assert.Equal(2L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Without_CreateSchema_missing_tables_give_an_error_that_says_to_run_migrate()
    {
        await using var store = TestHosts.CreateStore(_dataSource, o =>
        {
            o.Schema = "notyet";
            o.CreateSchema = false;
        });
        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetStatesAsync());
        Assert.Contains("maintenance migrate", error.Message, StringComparison.Ordinal);

        await store.MigrateAsync();
        Assert.Empty(await store.GetStatesAsync());
    }

    [Fact]
    public async Task Application_user_without_create_privilege_works_after_migrate_by_an_admin()
    {
        var user = "mm_app_" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = await _dataSource.OpenConnectionAsync())
        {
            await using var create = new NpgsqlCommand($"CREATE ROLE {user} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC;", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using (var adminStore = TestHosts.CreateStore(_dataSource))
        {
            await adminStore.MigrateAsync();
        }

        await using (var admin = await _dataSource.OpenConnectionAsync())
        {
            await using var grant = new NpgsqlCommand($"GRANT SELECT, INSERT, UPDATE ON public.maintenance_state, public.maintenance_audit TO {user}; GRANT USAGE ON SEQUENCE public.maintenance_audit_id_seq TO {user};", admin);
            await grant.ExecuteNonQueryAsync();
        }

        var appConnection = new NpgsqlConnectionStringBuilder(_connectionString) { Username = user }.ConnectionString;
        await using var appDataSource = NpgsqlDataSource.Create(appConnection);
        await using var appStore = TestHosts.CreateStore(appDataSource);
        await TestHosts.EnableAsync(TestHosts.CreateService(appStore));
        Assert.True(Assert.Single(await appStore.GetStatesAsync()).Enabled);
    }

    [Fact]
    public async Task Unreachable_server_is_a_store_exception()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(closedPort);
        await using var store = TestHosts.CreateStore(dataSource);
        await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetStatesAsync());
        var state = MaintenanceState.Off("Storefront") with { Enabled = true, Version = 1 };
        await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.SaveAsync(state, 0, AuditFor(state, "x")));
    }

    [Theory]
    [InlineData("Public")]
    [InlineData("a-b")]
    [InlineData("x\"; DROP TABLE y; --")]
    [InlineData("")]
    public void Schema_names_that_are_not_plain_identifiers_are_refused_at_start_up(string schema)
    {
        var validator = new PostgreSqlStoreOptionsValidator(requireConnectionString: false);
        var result = validator.Validate(null, new PostgreSqlStoreOptions { Schema = schema });
        Assert.True(result.Failed);
        Assert.Contains("'MaintenanceMode:PostgreSql:Schema' must be a lower-case PostgreSQL identifier", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_name_given_straight_to_the_constructor_is_quoted_so_it_cannot_inject_sql()
    {
        const string schema = "x\"; DROP TABLE victim; --";
        await using (var admin = await _dataSource.OpenConnectionAsync())
        await using (var create = new NpgsqlCommand("CREATE TABLE victim (id int)", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var store = TestHosts.CreateStore(_dataSource, o => o.Schema = schema);
        await TestHosts.EnableAsync(TestHosts.CreateService(store));
        Assert.True(Assert.Single(await store.GetStatesAsync()).Enabled);

        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var check = new NpgsqlCommand("SELECT to_regclass('public.victim') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", connection);
        check.Parameters.AddWithValue("schema", schema);
        Assert.Equal(true, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Reads_create_nothing_and_find_no_state_before_the_first_write()
    {
        await using var store = TestHosts.CreateStore(_dataSource, o => o.Schema = "fresh");
        Assert.Empty(await store.GetStatesAsync());
        Assert.Empty(await store.GetAuditTrailAsync());

        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var check = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'fresh')", connection);
        Assert.Equal(false, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task With_the_server_down_reads_say_it_could_not_be_reached_naming_host_and_port_and_no_secret()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 2, Password = "Sup3rS3cret" }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(closedPort);
        await using var store = TestHosts.CreateStore(dataSource);

        var read = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetStatesAsync());
        Assert.StartsWith("The maintenance state could not be read from PostgreSQL: the PostgreSQL server at 127.0.0.1:1 could not be reached (", read.Message, StringComparison.Ordinal);
        var log = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetAuditTrailAsync());
        Assert.StartsWith("The maintenance audit trail could not be read from PostgreSQL: the PostgreSQL server at 127.0.0.1:1 could not be reached (", log.Message, StringComparison.Ordinal);
        var state = MaintenanceState.Off("Storefront") with { Enabled = true, Version = 1 };
        var write = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.SaveAsync(state, 0, AuditFor(state, "x")));
        Assert.StartsWith("The maintenance state of 'Storefront' could not be written to PostgreSQL; nothing was written: the PostgreSQL server at 127.0.0.1:1 could not be reached (", write.Message, StringComparison.Ordinal);
        foreach (var error in new[] { read, log, write })
        {
            Assert.DoesNotContain("could not be created", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Sup3rS3cret", error.Message, StringComparison.Ordinal);
        }
    }

    private static MaintenanceAuditEntry AuditFor(MaintenanceState state, string reason) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Action = MaintenanceAction.Enable,
        Application = state.Application,
        Reason = reason,
        Actor = "tester",
        Source = "test",
        Before = MaintenanceState.Off(state.Application),
        After = state,
    };

    private static async Task<Exception?> Capture(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (MaintenanceConflictException ex)
        {
            return ex;
        }
    }
}
