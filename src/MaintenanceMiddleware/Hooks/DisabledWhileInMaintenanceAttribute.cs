namespace MaintenanceMiddleware;

/// <summary>
/// Endpoint metadata: the endpoint is an operation on another application and is refused with <c>409 Conflict</c>
/// (problem+json naming the application, its public message and expected end) while that application is in
/// maintenance, whatever the caller's IP, bypass or the host's own maintenance. The target is either fixed
/// (<see cref="Application"/>, checked against <c>MaintenanceMode:Applications</c> at start-up) or read from a route
/// value (<see cref="RouteValue"/>, e.g. <c>/environments/{app}/deploy</c>; a value naming no declared application is a
/// <c>404</c> problem). Add it with <c>.DisabledWhileInMaintenance("Storefront")</c> /
/// <c>.DisabledWhileTargetInMaintenance("app")</c>, or as an attribute on a controller, action or handler method.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class DisabledWhileInMaintenanceAttribute : Attribute
{
    /// <summary>The target is the application named by the route value <see cref="RouteValue"/>.</summary>
    public DisabledWhileInMaintenanceAttribute()
    {
    }

    /// <summary>The target is <paramref name="application"/>, a name the host declares.</summary>
    public DisabledWhileInMaintenanceAttribute(string application)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(application);
        Application = application;
    }

    /// <summary>The fixed target application, or <see langword="null"/> when it comes from <see cref="RouteValue"/>.</summary>
    public string? Application { get; }

    /// <summary>The route value that names the target application (used when <see cref="Application"/> is not set).</summary>
    public string? RouteValue { get; init; }
}
