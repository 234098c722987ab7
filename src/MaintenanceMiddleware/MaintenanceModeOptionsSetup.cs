using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>Fills in defaults that depend on the host: the application name.</summary>
internal sealed class MaintenanceModeOptionsSetup(IHostEnvironment environment) : IPostConfigureOptions<MaintenanceModeOptions>
{
    public void PostConfigure(string? name, MaintenanceModeOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Application))
        {
            options.Application = environment.ApplicationName;
        }
    }
}
