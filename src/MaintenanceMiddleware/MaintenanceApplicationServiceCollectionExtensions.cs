using MaintenanceMiddleware;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what a host does about other applications in maintenance: observers for one application, gated HTTP clients.</summary>
public static class MaintenanceApplicationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TObserver"/> (a singleton) to be told when <paramref name="application"/> — one the
    /// host declares in <c>MaintenanceMode:Applications</c> — begins and ends maintenance, for example to resynchronise
    /// in full what was skipped while it was down. An undeclared name stops start-up.
    /// </summary>
    public static IServiceCollection AddMaintenanceModeObserver<TObserver>(this IServiceCollection services, string application)
        where TObserver : class, IMaintenanceModeObserver
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(application);
        services.TryAddSingleton<TObserver>();
        services.AddSingleton(new ApplicationObserverRegistration(application, static sp => sp.GetRequiredService<TObserver>()));
        services.AddSingleton(new MaintenanceApplicationReference(application, $"AddMaintenanceModeObserver<{typeof(TObserver).Name}>"));
        services.AddMaintenanceApplications();
        return services;
    }

    /// <summary>
    /// Gates the client: while <paramref name="application"/> (declared in <c>MaintenanceMode:Applications</c>) is in
    /// maintenance, a call sends nothing and throws <see cref="ApplicationInMaintenanceException"/>; a call in flight
    /// when maintenance begins is cancelled with the same exception. An undeclared name stops start-up.
    /// </summary>
    public static IHttpClientBuilder AddMaintenanceGate(this IHttpClientBuilder builder, string application)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(application);
        builder.Services.AddSingleton(new MaintenanceApplicationReference(application, $"AddMaintenanceGate on the HttpClient '{builder.Name}'"));
        builder.Services.AddMaintenanceApplications();
        return builder.AddHttpMessageHandler(sp => new MaintenanceGateHandler(
            application,
            sp.GetRequiredService<MaintenanceApplicationGates>().Get(application),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<MaintenanceGateHandler>()));
    }

    /// <summary>The services behind the above and <c>.DisabledWhileInMaintenance(...)</c>; idempotent.</summary>
    internal static IServiceCollection AddMaintenanceApplications(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MaintenanceModeOptions>, ApplicationReferencesValidator>());
        services.TryAddSingleton<ApplicationRefusalWriter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ApplicationMaintenanceMatcherPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ApplicationReferencesStartupFilter>());
        return services;
    }
}
