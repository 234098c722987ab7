namespace MaintenanceMiddleware.Pages;

/// <summary>One file of the maintenance folder, held in memory with its content type.</summary>
internal sealed class MaintenanceAsset(byte[] content, string contentType)
{
    public byte[] Content { get; } = content;

    public string ContentType { get; } = contentType;
}
