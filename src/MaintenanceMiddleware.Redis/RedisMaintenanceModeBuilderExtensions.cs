using MaintenanceMiddleware;
using MaintenanceMiddleware.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses Redis as the maintenance state store: one switch for many instances.</summary>
public static class RedisMaintenanceModeBuilderExtensions
{
    /// <summary>
    /// Keeps maintenance state in Redis, connecting with the connection string from configuration
    /// (<c>MaintenanceMode:Redis:ConnectionString</c>, or the environment variable <c>MaintenanceMode__Redis__ConnectionString</c>);
    /// when none is configured, through the <see cref="IConnectionMultiplexer"/> the application registered in DI. Options
    /// are bound from <c>MaintenanceMode:Redis</c>; <paramref name="configure"/> runs after binding. Start-up fails with a
    /// message naming the key when neither is there, or when the connection string does not parse.
    /// </summary>
    public static MaintenanceModeBuilder UseRedis(this MaintenanceModeBuilder builder, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddRedis(connection: null, connectionString: null, configure);
    }

    /// <summary>
    /// Keeps maintenance state in Redis, connecting with <paramref name="connectionString"/> (a StackExchange.Redis
    /// configuration string such as <c>redis.internal:6379,password=...</c>). Other options are bound from
    /// <c>MaintenanceMode:Redis</c>; <paramref name="configure"/> runs after binding.
    /// </summary>
    public static MaintenanceModeBuilder UseRedis(this MaintenanceModeBuilder builder, string connectionString, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddRedis(connection: null, connectionString, configure);
    }

    /// <summary>
    /// Keeps maintenance state in Redis through <paramref name="connection"/>, which the caller owns and disposes. Options
    /// are bound from <c>MaintenanceMode:Redis</c> (the connection string there is ignored); <paramref name="configure"/>
    /// runs after binding.
    /// </summary>
    public static MaintenanceModeBuilder UseRedis(this MaintenanceModeBuilder builder, IConnectionMultiplexer connection, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        return builder.AddRedis(connection, connectionString: null, configure);
    }

    /// <summary>
    /// Keeps maintenance state in Redis when the connection string is configured
    /// (<c>MaintenanceMode:Redis:ConnectionString</c>), and changes nothing otherwise (the embedded file store, or the
    /// store another <c>...WhenConfigured()</c> call chose), so one build runs with a file on a developer's machine and
    /// with Redis on a fleet. Built on <see cref="MaintenanceModeBuilder.UseStoreWhenConfigured"/>: two stores configured
    /// at once stop start-up with a message naming both keys.
    /// </summary>
    public static MaintenanceModeBuilder UseRedisWhenConfigured(this MaintenanceModeBuilder builder, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStoreWhenConfigured(RedisStoreOptions.SectionName, b => b.UseRedis(configure));
    }

    private static MaintenanceModeBuilder AddRedis(this MaintenanceModeBuilder builder, IConnectionMultiplexer? connection, string? connectionString, Action<RedisStoreOptions>? configure)
    {
        var options = builder.Services.AddOptions<RedisStoreOptions>();
        if (builder.Configuration is not null)
        {
            options.Bind(builder.Configuration.GetSection(RedisStoreOptions.SectionName));
        }

        if (connectionString is not null)
        {
            options.Configure(o => o.ConnectionString = connectionString);
        }
        else if (connection is not null)
        {
            options.Configure(o => o.ConnectionString = null);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.RemoveAll<IValidateOptions<RedisStoreOptions>>();
        builder.Services.AddSingleton<IValidateOptions<RedisStoreOptions>>(sp =>
            new RedisStoreOptionsValidator(requireConnectionString: connection is null && !HasRegisteredConnection(sp)));
        builder.Services.TryAddSingleton(TimeProvider.System);

        return builder.UseStore(sp =>
        {
            var storeOptions = sp.GetRequiredService<IOptions<RedisStoreOptions>>();
            var logger = sp.GetRequiredService<ILogger<RedisMaintenanceStateStore>>();
            var time = sp.GetRequiredService<TimeProvider>();
            if (connection is null && !string.IsNullOrWhiteSpace(storeOptions.Value.ConnectionString))
            {
                return new RedisMaintenanceStateStore(storeOptions, logger, time);
            }

            return new RedisMaintenanceStateStore(connection ?? sp.GetRequiredService<IConnectionMultiplexer>(), storeOptions, logger, time);
        });
    }

    // Asks whether the application registered a multiplexer without creating it (creating it would connect).
    private static bool HasRegisteredConnection(IServiceProvider services) =>
        services.GetService<IServiceProviderIsService>()?.IsService(typeof(IConnectionMultiplexer)) == true;
}
