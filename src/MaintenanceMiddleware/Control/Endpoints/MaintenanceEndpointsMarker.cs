namespace MaintenanceMiddleware;

/// <summary>Set when <c>MapMaintenanceEndpoints</c> ran, so start-up builds (and checks) the endpoints only then.</summary>
internal sealed class MaintenanceEndpointsMarker
{
    private volatile bool _mapped;

    public bool Mapped => _mapped;

    public void MarkMapped() => _mapped = true;
}
