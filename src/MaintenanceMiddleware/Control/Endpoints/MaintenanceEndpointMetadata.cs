namespace MaintenanceMiddleware;

/// <summary>Marks the endpoints <c>MapMaintenanceEndpoints</c> maps, so start-up can find and check them.</summary>
internal sealed class MaintenanceEndpointMetadata
{
    public static readonly MaintenanceEndpointMetadata Instance = new();

    private MaintenanceEndpointMetadata()
    {
    }
}
