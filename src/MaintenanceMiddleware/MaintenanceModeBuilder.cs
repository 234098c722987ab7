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
