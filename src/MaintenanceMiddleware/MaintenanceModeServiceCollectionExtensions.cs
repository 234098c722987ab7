using MaintenanceMiddleware;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers maintenance mode.</summary>
public static class MaintenanceModeServiceCollectionExtensions
{
    /// <summary>
    /// Adds maintenance mode with options bound from <paramref name="configuration"/> (normally the
    /// <c>MaintenanceMode</c> section) and validated at start-up. Returns a builder that chooses the state store;
    /// without a choice the embedded file store is used.
    /// </summary>
    public static MaintenanceModeBuilder AddMaintenanceMode(this IServiceCollection services, IConfiguration configuration, Action<MaintenanceModeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MaintenanceModeOptions>().Bind(configuration);
        services.AddOptions<FileStoreOptions>().Bind(configuration.GetSection(FileStoreOptions.SectionName));
        services.AddOptions<MaintenanceEndpointOptions>().Bind(configuration.GetSection(MaintenanceEndpointOptions.SectionName));
        services.TryAddSingleton(new MaintenanceModeConfiguration(configuration));
        return AddCore(services, configuration, configure);
    }

    /// <summary>Adds maintenance mode configured in code only. Returns a builder that chooses the state store.</summary>
    public static MaintenanceModeBuilder AddMaintenanceMode(this IServiceCollection services, Action<MaintenanceModeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services, null, configure);
    }

    private static MaintenanceModeBuilder AddCore(IServiceCollection services, IConfiguration? configuration, Action<MaintenanceModeOptions>? configure)
    {
        var options = services.AddOptions<MaintenanceModeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<MaintenanceModeOptions>, MaintenanceModeOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MaintenanceModeOptions>, MaintenanceModeOptionsValidator>());

        // The file store's options are checked at start-up whichever store is chosen: it is the default when no UseStoreWhenConfigured call finds its key.
        var fileStoreSection = configuration is IConfigurationSection section
            ? $"{section.Path}:{FileStoreOptions.SectionName}"
            : FileStoreOptionsValidator.DefaultSectionPath;
        services.AddOptions<FileStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileStoreOptions>>(new FileStoreOptionsValidator(fileStoreSection)));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMaintenanceStateStore>(static sp => ActivatorUtilities.CreateInstance<FileMaintenanceStateStore>(sp));
        services.TryAddSingleton<MaintenanceOptionsReloader>();
        services.TryAddSingleton<MaintenanceStateMonitor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MaintenanceStateMonitorHostedService>());

        // Hooks, fed by the monitor's one snapshot callback; registered after the monitor, so observers run once the first load is done.
        services.TryAddSingleton<MaintenanceModeGate>();
        services.TryAddSingleton<MaintenanceApplicationGates>();
        services.TryAddSingleton<IMaintenanceModeGate>(static sp => sp.GetRequiredService<MaintenanceApplicationGates>().Own);
        services.AddMaintenanceApplications();
        services.TryAddSingleton<RequestDrain>();
        services.TryAddSingleton<MaintenanceHooksDispatcher>();
        services.TryAddSingleton<IMaintenanceSnapshotListener>(static sp => sp.GetRequiredService<MaintenanceHooksDispatcher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MaintenanceHooksDispatcher>(static sp => sp.GetRequiredService<MaintenanceHooksDispatcher>()));

        // Instances report themselves (heartbeat, applied versions, drain) after the hooks, so a clean stop deregisters first.
        services.TryAddSingleton<MaintenanceInstanceReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MaintenanceInstanceReporter>(static sp => sp.GetRequiredService<MaintenanceInstanceReporter>()));
        services.TryAddSingleton<IMaintenanceModeService>(static sp =>
        {
            var reloadable = sp.GetRequiredService<MaintenanceOptionsReloader>();
            var service = ActivatorUtilities.CreateInstance<MaintenanceModeService>(sp);
            service.ForcedByConfiguration = () => reloadable.Current.Enabled;
            return service;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AllowListStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RemoteAuthenticationCallbackCheck>());
        services.TryAddSingleton<MaintenanceModeMarker>();
        services.TryAddSingleton<MaintenanceEndpointsMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, MaintenanceEndpointsStartupFilter>());

        // Request path: the page folder in memory, the response cache, metrics.
        services.AddMetrics();
        services.TryAddSingleton<MaintenancePageProvider>();
        services.TryAddSingleton<MaintenanceResponseWriter>();
        services.TryAddSingleton<GrpcMaintenanceWriter>();
        services.TryAddSingleton<BypassUseRecorder>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BypassUseRecorder>(static sp => sp.GetRequiredService<BypassUseRecorder>()));
        services.TryAddSingleton<MaintenanceNotice>();
        services.TryAddSingleton<MaintenanceMetrics>();

        return new MaintenanceModeBuilder(services, configuration);
    }
}
