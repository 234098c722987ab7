namespace MaintenanceMiddleware;

/// <summary>One file of the maintenance folder, held in memory with its content type.</summary>
internal sealed class MaintenanceAsset(byte[] content, string contentType)
{
    public byte[] Content { get; } = content;

    public string ContentType { get; } = contentType;

    /// <summary>The <c>Content-Length</c> header value, formatted once.</summary>
    public string ContentLength { get; } = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
