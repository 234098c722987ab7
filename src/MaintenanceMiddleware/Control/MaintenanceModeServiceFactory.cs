using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Builds an <see cref="IMaintenanceModeService"/> over a store outside a host: the <c>maintenance</c> CLI, a script,
/// a test that plays a second writer. In an application, take <see cref="IMaintenanceModeService"/> from DI instead
/// (<c>AddMaintenanceMode</c> registers it).
/// </summary>
public static class MaintenanceModeServiceFactory
{
    /// <summary>Creates the service over <paramref name="store"/>.</summary>
    /// <param name="store">Where state and audit live; the caller keeps ownership and disposes it.</param>
    /// <param name="options">
    /// The options: <see cref="MaintenanceModeOptions.Application"/> is the default application and, with
    /// <see cref="MaintenanceModeOptions.Applications"/>, the known names. <see langword="null"/> (or options that name no
    /// application) accepts any valid application name, as the CLI needs for a store shared by several applications.
    /// </param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where changes are logged (category <c>MaintenanceMiddleware.MaintenanceModeService</c>); nowhere when <see langword="null"/>.</param>
    /// <returns>The service; the same implementation the host registers.</returns>
    public static IMaintenanceModeService Create(
        IMaintenanceStateStore store,
        MaintenanceModeOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new MaintenanceModeService(store, Options.Create(options ?? new MaintenanceModeOptions()), timeProvider, loggerFactory?.CreateLogger<MaintenanceModeService>());
    }
}
