using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Warns at start-up about a configured allowlist entry that lets everyone in (<c>0.0.0.0/0</c>, <c>::/0</c>, or
/// <c>::ffff:0:0/96</c>, which is stored as <c>0.0.0.0/0</c>): valid, so not refused, but almost always a mistake
/// that makes maintenance invisible. Runs after options validation, so every entry parses.
/// </summary>
internal sealed class AllowListStartupCheck(IOptions<MaintenanceModeOptions> options, ILogger<AllowListStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var entries = options.Value.AllowedNetworks;
        for (var i = 0; i < entries.Count; i++)
        {
            if (IpNetworkParser.TryParse(entries[i], out var network, out _) && network.PrefixLength == 0)
            {
                var family = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
                MaintenanceLog.AllowListAdmitsEveryone(logger, $"{MaintenanceModeOptions.SectionName}:AllowedNetworks:{i}", entries[i], family);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
