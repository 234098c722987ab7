using Npgsql;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>The built tool against a real PostgreSQL server (MM_TEST_POSTGRES; ./test.sh starts one), in a schema of its own.</summary>
public sealed class CliPostgreSqlTests : IAsyncLifetime
{
    private readonly string _schema = "mm_cli_" + Guid.NewGuid().ToString("N")[..12];
    private string _connectionString = null!;

    public Task InitializeAsync()
    {
        _connectionString = Environment.GetEnvironmentVariable("MM_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "MM_TEST_POSTGRES is not set: these tests need a PostgreSQL server. Run ./test.sh, which starts one on 127.0.0.1, " +
                "or set MM_TEST_POSTGRES=\"Host=127.0.0.1;Port=...;Username=postgres;Database=postgres\".");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Migrate_then_enable_status_log_disable_with_postgres_option_and_variable()
    {
        var migrate = await CliProcess.RunAsync(null, "migrate", "--postgres", _connectionString, "--schema", _schema);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains($"'{_schema}' is ready", migrate.Output, StringComparison.Ordinal);
        var again = await CliProcess.RunAsync(null, "migrate", "--postgres", _connectionString, "--schema", _schema);
        Assert.True(again.ExitCode == 0, again.ToString());

        var enable = await CliProcess.RunAsync(null, "enable", "--postgres", _connectionString, "--schema", _schema, "--app", "Storefront", "--new-app", "--reason", "Release 42", "--for", "15m");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.StartsWith("Maintenance enabled for Storefront until", enable.Output, StringComparison.Ordinal);

        var viaVariable = new Dictionary<string, string> { [CliApplication.PostgresVariable] = _connectionString };
        var status = await CliProcess.RunAsync(viaVariable, "status", "--schema", _schema, "--app", "Storefront");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Storefront: IN MAINTENANCE until", status.Output, StringComparison.Ordinal);

        var disable = await CliProcess.RunAsync(viaVariable, "disable", "--schema", _schema, "--app", "Storefront", "--reason", "Release 42 done");
        Assert.True(disable.ExitCode == 0, disable.ToString());
        Assert.Equal("Maintenance disabled for Storefront. Reason: Release 42 done. Version 2.", disable.Output.Trim());

        var log = await CliProcess.RunAsync(viaVariable, "log", "--schema", _schema);
        var lines = log.Output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("disable  Storefront", lines[0], StringComparison.Ordinal);
        Assert.Contains("from cli", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_of_a_schema_never_migrated_fail_saying_to_run_migrate_and_create_nothing()
    {
        var status = await CliProcess.RunAsync(null, "status", "--postgres", _connectionString, "--schema", _schema, "--all");
        var log = await CliProcess.RunAsync(null, "log", "--postgres", _connectionString, "--schema", _schema);
        var enable = await CliProcess.RunAsync(null, "enable", "--postgres", _connectionString, "--schema", _schema, "--all", "-r", "x");

        Assert.All([status, log, enable], r =>
        {
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains($"the maintenance tables do not exist in schema '{_schema}'. Run `maintenance migrate --postgres <connection string>`", r.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
        });
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{_schema}'");
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Unknown_application_on_postgres_is_refused_with_the_known_names()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(null, "migrate", "--postgres", _connectionString, "--schema", _schema)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(null, "enable", "--postgres", _connectionString, "--schema", _schema, "-a", "BackOffice", "--new-app", "-r", "x")).ExitCode);

        var typo = await CliProcess.RunAsync(null, "disable", "--postgres", _connectionString, "--schema", _schema, "-a", "Backofice", "-r", "x");

        Assert.Equal(2, typo.ExitCode);
        Assert.StartsWith("error: --app: unknown application 'Backofice'; known: BackOffice.", typo.Error, StringComparison.Ordinal);
    }
}
