using MaintenanceMiddleware.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>The Redis store as a target (<c>--redis</c>): the same store and options the apps use, under their key prefix.</summary>
internal static class RedisTarget
{
    public static StoreTarget Create(string connectionString, string? keyPrefix, TimeProvider time)
    {
        var options = new RedisStoreOptions { ConnectionString = connectionString };
        if (!string.IsNullOrWhiteSpace(keyPrefix))
        {
            options.KeyPrefix = keyPrefix;
        }

        RedisMaintenanceStateStore store;
        try
        {
            store = new RedisMaintenanceStateStore(Options.Create(options), NullLogger<RedisMaintenanceStateStore>.Instance, time);
        }
        catch (ArgumentException ex)
        {
            // The store's messages name the app's configuration keys; the CLI's options say the same here.
            throw CliException.Usage(ex.Message
                .Replace($"'{RedisStoreOptions.ConnectionStringKey}'", "--redis", StringComparison.Ordinal)
                .Replace("'MaintenanceMode:Redis:KeyPrefix'", "--redis-prefix", StringComparison.Ordinal));
        }

        return new StoreTarget(store, $"Redis {Describe(connectionString)} (prefix '{options.KeyPrefix}')", time);
    }

    // Never echo the password: only the servers.
    private static string Describe(string connectionString) =>
        string.Join(", ", ConfigurationOptions.Parse(connectionString).EndPoints.Select(e => e.ToString()));
}
