namespace MaintenanceMiddleware;

/// <summary>One API key, kept only as its hash (<c>MaintenanceMode:ApiKeys:&lt;name&gt;:Hash</c>). Its name is the dictionary key and is what the audit trail records.</summary>
public sealed class MaintenanceApiKey
{
    /// <summary>The SHA-256 of the key (its UTF-8 bytes) as 64 hexadecimal characters; <c>maintenance hash-key</c> prints it.</summary>
    public string? Hash { get; set; }
}
