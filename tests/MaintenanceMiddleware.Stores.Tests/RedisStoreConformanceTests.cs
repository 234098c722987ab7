using MaintenanceMiddleware;
using MaintenanceMiddleware.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>The Redis store on the real server (MM_TEST_REDIS), a fresh key prefix per test.</summary>
public sealed class RedisStoreConformanceTests : ReconnectingStoreConformanceTests
{
    private readonly string _prefix = "mmconf:" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _clientName = "mm-conformance-" + Guid.NewGuid().ToString("N")[..8];

    protected override Task<IMaintenanceStateStore> OpenStoreAsync()
    {
        var options = new RedisStoreOptions { ConnectionString = $"{TestServers.Redis},name={_clientName}", KeyPrefix = _prefix, PollInterval = TimeSpan.FromMinutes(5) };
        return Task.FromResult<IMaintenanceStateStore>(new RedisMaintenanceStateStore(Options.Create(options), NullLogger<RedisMaintenanceStateStore>.Instance, TimeProvider.System));
    }

    protected override async Task DropConnectionsAsync()
    {
        var options = ConfigurationOptions.Parse(TestServers.Redis);
        options.AllowAdmin = true;
        await using var admin = await ConnectionMultiplexer.ConnectAsync(options);
        var server = admin.GetServers()[0];
        foreach (var client in await server.ClientListAsync())
        {
            if (client.Name == _clientName)
            {
                await server.ClientKillAsync(client.Id, clientType: null, endpoint: null, skipMe: true);
            }
        }
    }
}
