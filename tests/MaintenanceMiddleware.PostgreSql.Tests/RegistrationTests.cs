using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>UsePostgreSql(...) and UsePostgreSqlWhenConfigured(): where the connection comes from, what start-up refuses.</summary>
public sealed class RegistrationTests : IAsyncLifetime
{
    private readonly List<IHost> _hosts = [];
    private string _connectionString = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlMaintenanceStateStore _store = null!;
    private IMaintenanceModeService _service = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await PgServer.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        _store = TestHosts.CreateStore(_dataSource);
        _service = TestHosts.CreateService(_store);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task The_connection_string_is_read_from_configuration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = _connectionString,
            ["MaintenanceMode:PostgreSql:Schema"] = "ops",
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSql();
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync();
        _hosts.Add(app);

        await app.Services.GetRequiredService<IMaintenanceModeService>().EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "configured" });
        Assert.True(await TestHosts.AllAnswerAsync([app], 503, TimeSpan.FromSeconds(1)));
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ops.maintenance_state", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(null, null, "MaintenanceMode:PostgreSql:ConnectionString")]
    [InlineData("Host=127.0.0.1", "Bad-Name", "MaintenanceMode:PostgreSql:StateTable")]
    public async Task Bad_configuration_stops_start_up_with_a_message_naming_the_key(string? connectionString, string? stateTable, string key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = connectionString,
            ["MaintenanceMode:PostgreSql:StateTable"] = stateTable,
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSql();
        await using var app = builder.Build();
        app.UseMaintenanceMode();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("InstancesTable", "Instances", "'MaintenanceMode:PostgreSql:InstancesTable' must be a lower-case PostgreSQL identifier (letters a-z, digits, '_', at most 63 characters, not starting with a digit); was 'Instances'.")]
    [InlineData("InstancesTable", "maintenance_state", "'MaintenanceMode:PostgreSql:InstancesTable' must name a table of its own (was 'maintenance_state', the name of another maintenance table).")]
    [InlineData("InstancesChannelName", "maintenance_state_changed", "'MaintenanceMode:PostgreSql:InstancesChannelName' must differ from 'MaintenanceMode:PostgreSql:ChannelName' (both were 'maintenance_state_changed'): instance reports would wake every instance's state reload.")]
    public async Task A_bad_instances_table_or_channel_stops_start_up_with_the_exact_message(string key, string value, string message)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = "Host=127.0.0.1",
            ["MaintenanceMode:PostgreSql:" + key] = value,
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSql();
        await using var app = builder.Build();
        app.UseMaintenanceMode();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Equal(message, Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData("Hots=db.internal;Username=app;Password=Sup3rS3cret", "'hots' is not a keyword Npgsql knows")]
    [InlineData("Host=db.internal;Port=fivefourthreetwo;Password=Sup3rS3cret", "the value of 'port' is not valid for that keyword")]
    [InlineData("Host=db.internal;Password='Sup3rS3cret;Username=app", "it is not a list of key=value pairs separated by ';' (the problem starts at character 18); quote a value that contains ';' or a quote")]
    [InlineData("Username=app;Password=Sup3rS3cret", "it names no server (add Host=<server>)")]
    public async Task A_malformed_connection_string_stops_start_up_naming_the_key_and_the_problem_never_the_password(string connectionString, string problem)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = connectionString,
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSql();
        await using var app = builder.Build();
        app.UseMaintenanceMode();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Equal(
            $"'MaintenanceMode:PostgreSql:ConnectionString' is not a valid PostgreSQL connection string: {problem}. See https://www.npgsql.org/doc/connection-string-parameters.html.",
            Assert.Single(error.Failures));
        Assert.DoesNotContain("Sup3rS3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_connection_string_the_apps_registered_data_source_is_used()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_dataSource);
        builder.Services.AddMaintenanceMode(o => o.Application = "Storefront").UsePostgreSql();
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync();
        await TestHosts.EnableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync([app], 503, TimeSpan.FromSeconds(1)));
        await app.StopAsync();
        await app.DisposeAsync();

        // The app's data source is the app's: not disposed with the host.
        await using var connection = await _dataSource.OpenConnectionAsync();
    }

    [Theory]
    [InlineData(false, typeof(MaintenanceMiddleware.FileMaintenanceStateStore))]
    [InlineData(true, typeof(MaintenanceMiddleware.PostgreSql.PostgreSqlMaintenanceStateStore))]
    public async Task UsePostgreSqlWhenConfigured_chooses_the_store_by_the_connection_string_key(bool configured, Type expected)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = configured ? _connectionString : null,
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSqlWhenConfigured();
        await using var app = builder.Build();

        Assert.IsType(expected, app.Services.GetRequiredService<MaintenanceMiddleware.IMaintenanceStateStore>());
    }

    [Fact]
    public async Task A_data_source_owned_by_the_app_can_be_used()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMaintenanceMode(o => o.Application = "Storefront").UsePostgreSql(_dataSource);
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync();
        await TestHosts.EnableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync([app], 503, TimeSpan.FromSeconds(1)));
        await app.StopAsync();
        await app.DisposeAsync();

        // The app's data source is not disposed with the host.
        await using var connection = await _dataSource.OpenConnectionAsync();
    }
}
