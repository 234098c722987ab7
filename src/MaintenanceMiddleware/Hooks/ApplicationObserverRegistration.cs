namespace MaintenanceMiddleware;

/// <summary>
/// An <see cref="IMaintenanceModeObserver"/> told of one declared application's begin and end (registered with
/// <c>services.AddMaintenanceModeObserver&lt;T&gt;("Storefront")</c>); created once, when the dispatcher is.
/// </summary>
internal sealed record ApplicationObserverRegistration(string Application, Func<IServiceProvider, IMaintenanceModeObserver> Factory);
