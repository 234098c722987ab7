using Microsoft.Extensions.Configuration;

namespace MaintenanceMiddleware;

/// <summary>
/// The configuration section given to <c>AddMaintenanceMode</c>, registered so that everything else (the API keys
/// included) binds from the same place and names the real path of a key in its messages.
/// </summary>
internal sealed class MaintenanceModeConfiguration(IConfiguration section)
{
    public IConfiguration Section { get; } = section;

    /// <summary>The full path of <paramref name="key"/> under the section, e.g. <c>MaintenanceMode:ApiKeys</c>.</summary>
    public string PathOf(string key) => Section is IConfigurationSection { Path.Length: > 0 } named ? $"{named.Path}:{key}" : key;
}
