using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;
using MaintenanceMiddleware.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>One mechanism chooses the store from configuration (as the samples do): the connection string that is set.</summary>
public sealed class StoreChoiceTests
{
    [Theory]
    [InlineData(null, null, typeof(FileMaintenanceStateStore))]
    [InlineData("Host=127.0.0.1;Database=shop", null, typeof(PostgreSqlMaintenanceStateStore))]
    [InlineData(null, "127.0.0.1:6379", typeof(RedisMaintenanceStateStore))]
    public async Task The_store_is_the_one_whose_connection_string_is_configured(string? postgres, string? redis, Type expected)
    {
        await using var services = Build(postgres, redis).BuildServiceProvider();
        var store = services.GetRequiredService<IMaintenanceStateStore>();
        Assert.IsType(expected, store);
    }

    [Fact]
    public void Two_configured_stores_stop_start_up_naming_both_keys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("Host=127.0.0.1;Database=shop", "127.0.0.1:6379"));
        Assert.Contains("'MaintenanceMode:PostgreSql:ConnectionString'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'MaintenanceMode:Redis:ConnectionString'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_chosen_in_code_is_kept_when_no_connection_string_is_configured()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMaintenanceMode(new ConfigurationBuilder().Build().GetSection("MaintenanceMode"))
            .UseInMemoryStore()
            .UsePostgreSqlWhenConfigured()
            .UseRedisWhenConfigured();
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<InMemoryMaintenanceStateStore>(provider.GetRequiredService<IMaintenanceStateStore>());
    }

    private static ServiceCollection Build(string? postgres, string? redis)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = postgres,
            ["MaintenanceMode:Redis:ConnectionString"] = redis,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMaintenanceMode(configuration.GetSection("MaintenanceMode"))
            .UsePostgreSqlWhenConfigured()
            .UseRedisWhenConfigured();
        return services;
    }
}
