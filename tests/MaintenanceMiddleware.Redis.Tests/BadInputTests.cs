using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>Each bad input gets a clear error, never a secret, never a stack trace for the visitor.</summary>
public sealed class BadInputTests
{
    private readonly string _prefix = RedisServer.UniquePrefix();

    [Theory]
    [InlineData("127.0.0.1:6379,password=hunter2,frobnicate=yes")]
    [InlineData("127.0.0.1:notaport,password=hunter2")]
    [InlineData("password=hunter2")]
    public async Task A_malformed_connection_string_stops_start_up_naming_the_key_and_not_the_password(string connectionString)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithConfigurationAsync(new() { ["MaintenanceMode:Redis:ConnectionString"] = connectionString }));
        Assert.Contains("'MaintenanceMode:Redis:ConnectionString' is not a valid Redis connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_string_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithConfigurationAsync([]));
        Assert.Contains("MaintenanceMode:Redis:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaintenanceMode__Redis__ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_multiplexer_in_DI_is_used_when_no_connection_string_is_configured()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(RedisServer.ConnectionString);
        await using var app = await StartWithConfigurationAsync(new() { ["MaintenanceMode:Redis:KeyPrefix"] = _prefix }, services => services.AddSingleton<IConnectionMultiplexer>(multiplexer));
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        await TestHosts.EnableAsync(TestHosts.CreateService(store));
        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.GetStatusAsync(app) == 503, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a{b}")]
    [InlineData("env*")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    [InlineData("")]
    [InlineData("quote\"d")]
    public async Task A_key_prefix_with_characters_keys_should_not_carry_stops_start_up(string prefix)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithConfigurationAsync(new()
        {
            ["MaintenanceMode:Redis:ConnectionString"] = RedisServer.ConnectionString,
            ["MaintenanceMode:Redis:KeyPrefix"] = prefix,
        }));
        Assert.Contains("'MaintenanceMode:Redis:KeyPrefix' must be", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message.TrimEnd());

        var direct = Assert.Throws<ArgumentException>(() => TestHosts.CreateStore(RedisServer.ConnectionString, prefix));
        Assert.Contains("MaintenanceMode:Redis:KeyPrefix", direct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_error_and_the_password_is_never_logged()
    {
        await using var server = await RedisProcess.StartAsync("--requirepass", "right-secret");
        var logs = new FakeLogCollector();
        await using var store = TestHosts.CreateStore($"{server.ConnectionString},password=wrong-secret,connectTimeout=2000", _prefix, logger: new FakeLogger<RedisMaintenanceStateStore>(logs));

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetStatesAsync());
        Assert.Contains("credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaintenanceMode:Redis:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Name == "RedisAuthenticationFailed");
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains("secret", StringComparison.Ordinal) || (r.Exception?.ToString().Contains("secret", StringComparison.Ordinal) ?? false));

        var state = MaintenanceState.Off("Storefront") with { Enabled = true, Version = 1 };
        var write = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.SaveAsync(state, 0, TestHosts.AuditFor(state, "x")));
        Assert.Contains("nothing was written", write.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", write.ToString(), StringComparison.Ordinal);

        await using var right = TestHosts.CreateStore($"{server.ConnectionString},password=right-secret", _prefix);
        await right.SaveAsync(state, 0, TestHosts.AuditFor(state, "x"));
        Assert.True(Assert.Single(await right.GetStatesAsync()).Enabled);
    }

    [Fact]
    public async Task A_state_value_that_does_not_parse_keeps_the_last_state_logs_an_error_and_degrades_health()
    {
        var logs = new FakeLogCollector();
        await using var app = await TestHosts.StartAppAsync(RedisServer.ConnectionString, _prefix, logs: logs);
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        await TestHosts.EnableAsync(TestHosts.CreateService(store));
        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.GetStatusAsync(app) == 503, TimeSpan.FromSeconds(5)));

        await using var admin = await RedisServer.ConnectAdminAsync();
        await admin.GetDatabase().HashSetAsync($"{{{_prefix}}}:state", "storefront", "{\"application\": not json");
        await admin.GetSubscriber().PublishAsync(RedisChannel.Literal($"{{{_prefix}}}:changed"), "Storefront");

        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.HealthAsync(app) == HealthStatus.Degraded, TimeSpan.FromSeconds(5)));
        Assert.Equal(503, await TestHosts.GetStatusAsync(app));
        var logged = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RedisValueUnreadable");
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains($"hash '{{{_prefix}}}:state', field 'storefront'", logged.Message, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetStatesAsync());
        Assert.Contains("does not parse", error.Message, StringComparison.Ordinal);

        // The monitor keeps retrying (every 2 s at most) while the value stays bad: still one error in the log.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RedisValueUnreadable");

        // Repaired: the hosts converge (here, on the repaired value: maintenance off) and health is back.
        var repaired = MaintenanceState.Off("Storefront") with { Version = 2 };
        await admin.GetDatabase().HashSetAsync($"{{{_prefix}}}:state", "storefront", System.Text.Json.JsonSerializer.Serialize(repaired, MaintenanceStoreJson.State));
        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.GetStatusAsync(app) == 200, TimeSpan.FromSeconds(10)));
        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.HealthAsync(app) == HealthStatus.Healthy, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_audit_entry_that_does_not_parse_is_a_clear_error_naming_the_entry()
    {
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        await TestHosts.EnableAsync(TestHosts.CreateService(store));
        await using var admin = await RedisServer.ConnectAdminAsync();
        var id = await admin.GetDatabase().StreamAddAsync($"{{{_prefix}}}:audit", [new NameValueEntry("application", "storefront"), new NameValueEntry("entry", "[1,2")]);

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetAuditTrailAsync());
        Assert.Contains($"stream '{{{_prefix}}}:audit', entry {id}", error.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(await store.GetStatesAsync()).Enabled);
    }

    [Fact]
    public async Task A_read_only_replica_reads_but_refuses_a_change_clearly_and_writes_nothing()
    {
        await using var primary = await RedisProcess.StartAsync();
        await using var replica = await RedisProcess.StartAsync("--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using (var onPrimary = TestHosts.CreateStore(primary.ConnectionString, _prefix))
        {
            await TestHosts.EnableAsync(TestHosts.CreateService(onPrimary));
        }

        await using var store = TestHosts.CreateStore(replica.ConnectionString, _prefix);
        Assert.True(await TestHosts.WaitForAsync(async () => (await store.GetStatesAsync()).Count == 1, TimeSpan.FromSeconds(10)), "the replica never caught up");

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => TestHosts.DisableAsync(TestHosts.CreateService(store)));
        Assert.Contains("read-only replica", error.Message, StringComparison.Ordinal);
        Assert.Contains("primary", error.Message, StringComparison.Ordinal);
        await using var check = TestHosts.CreateStore(primary.ConnectionString, _prefix);
        Assert.True(Assert.Single(await check.GetStatesAsync()).Enabled);
        Assert.Single(await check.GetAuditTrailAsync());
    }

    private static async Task<WebApplication> StartWithConfigurationAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["MaintenanceMode:Application"] = "Storefront";
        builder.Configuration["MaintenanceMode:StartupTimeout"] = "00:00:02";
        services?.Invoke(builder.Services);
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UseRedis();
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
