namespace MaintenanceMiddleware;

/// <summary>
/// Endpoint metadata: the endpoint keeps answering while maintenance is in force (for example the maintenance
/// endpoints themselves, so an operator can switch maintenance off). Add it with <c>.WithMetadata(new AllowDuringMaintenanceMetadata())</c>.
/// </summary>
public sealed class AllowDuringMaintenanceMetadata
{
}
