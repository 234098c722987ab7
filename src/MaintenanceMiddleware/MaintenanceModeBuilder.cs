using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MaintenanceMiddleware;

/// <summary>
/// Returned by <c>AddMaintenanceMode</c>: chooses where maintenance state lives. Without a choice the embedded
/// file store is used. Store packages add their own <c>Use...</c> extension methods (for example <c>UsePostgreSql</c>).
/// </summary>
public sealed class MaintenanceModeBuilder
{
    internal MaintenanceModeBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    // The connection-string key that chose the store through UseStoreWhenConfigured, if one did.
    private string? _configuredStoreKey;

    /// <summary>The service collection, for store packages that register more services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The <c>MaintenanceMode</c> configuration section, when options were bound from configuration.</summary>
    public IConfiguration? Configuration { get; }

    /// <summary>Uses <paramref name="factory"/> to create the state store (a singleton), replacing any earlier choice.</summary>
    public MaintenanceModeBuilder UseStore(Func<IServiceProvider, IMaintenanceStateStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IMaintenanceStateStore>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>
    /// Uses the store <paramref name="use"/> chooses when <c>MaintenanceMode:&lt;section&gt;:ConnectionString</c> is
    /// configured, and changes nothing otherwise (so the embedded file store stays the default). This is how a host picks
    /// its store from configuration alone: one call per store it supports, for example
    /// <c>.UseStoreWhenConfigured("Redis", b =&gt; b.UseRedis())</c> (store packages wrap it as <c>UseRedisWhenConfigured()</c>,
    /// <c>UsePostgreSqlWhenConfigured()</c>). When two of them find a connection string, start-up fails naming both keys.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another store was already chosen this way from configuration.</exception>
    public MaintenanceModeBuilder UseStoreWhenConfigured(string section, Func<MaintenanceModeBuilder, MaintenanceModeBuilder> use)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentNullException.ThrowIfNull(use);
        var key = $"MaintenanceMode:{section}:ConnectionString";
        if (string.IsNullOrWhiteSpace(Configuration?.GetSection(section)["ConnectionString"]))
        {
            return this;
        }

        if (_configuredStoreKey is { } chosen && !string.Equals(chosen, key, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Both '{chosen}' and '{key}' are set, so the maintenance state store is ambiguous: remove one of them.");
        }

        _configuredStoreKey = key;
        return use(this);
    }

    /// <summary>Keeps state in this process only (tests, single-process apps); it is lost on restart.</summary>
    public MaintenanceModeBuilder UseInMemoryStore() => UseStore(static _ => new InMemoryMaintenanceStateStore());

    /// <summary>
    /// Keeps state in a JSON file under the content root (the embedded default), with a JSON-lines audit file beside it.
    /// Options are bound from <c>MaintenanceMode:FileStore</c>; <paramref name="configure"/> runs after binding.
    /// </summary>
    public MaintenanceModeBuilder UseFileStore(Action<FileStoreOptions>? configure = null)
    {
        if (configure is not null)
        {
            Services.Configure(configure);
        }

        return UseStore(static sp => ActivatorUtilities.CreateInstance<FileMaintenanceStateStore>(sp));
    }
}
