using Microsoft.AspNetCore.Authentication;

namespace MaintenanceMiddleware;

/// <summary>
/// Options of the maintenance API-key scheme. Keys are read from <c>MaintenanceMode:ApiKeys:&lt;name&gt;:Hash</c>
/// (the SHA-256 of the key in hexadecimal) and may be added in code with <see cref="AddKeyHash"/>.
/// </summary>
public sealed class MaintenanceApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>The keys by name. The name becomes the principal's name, so the audit trail records which key switched.</summary>
    public IDictionary<string, MaintenanceApiKey> Keys { get; } = new Dictionary<string, MaintenanceApiKey>(StringComparer.Ordinal);

    /// <summary>The request header that carries the key. Default <c>X-Maintenance-Key</c>; <c>Authorization: ApiKey &lt;key&gt;</c> is accepted too.</summary>
    public string HeaderName { get; set; } = MaintenanceApiKeyDefaults.HeaderName;

    /// <summary>Adds (or replaces) the key <paramref name="name"/> by its SHA-256 hash in hexadecimal.</summary>
    public MaintenanceApiKeyOptions AddKeyHash(string name, string sha256Hex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Keys[name] = new MaintenanceApiKey { Hash = sha256Hex };
        return this;
    }
}
