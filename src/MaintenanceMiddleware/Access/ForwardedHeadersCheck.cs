using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// At start-up, finds forwarded-header settings that trust <c>X-Forwarded-For</c> from every peer while an allowlist is
/// configured: then anyone can send an allowlisted address in that header and pass. That is what
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> sets up (it clears <c>KnownProxies</c> and <c>KnownIPNetworks</c>).
/// </summary>
/// <remarks>
/// Only the options registered in DI are visible here (the environment variable, <c>Configure&lt;ForwardedHeadersOptions&gt;</c>
/// with a parameterless <c>UseForwardedHeaders()</c>); options passed directly to <c>UseForwardedHeaders(options)</c> are not.
/// </remarks>
internal static class ForwardedHeadersCheck
{
    internal const string Risk =
        "Forwarded headers are trusted from every peer (ForwardedHeadersOptions.KnownProxies and KnownIPNetworks are empty, as ASPNETCORE_FORWARDEDHEADERS_ENABLED=true leaves them) while MaintenanceMode:AllowedNetworks is set: "
        + "any visitor can send 'X-Forwarded-For: <an allowed address>' and pass the maintenance page. "
        + "Add your proxies to ForwardedHeadersOptions.KnownProxies or KnownIPNetworks";

    public static void Run(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<MaintenanceModeOptions>>().Value;
        if (options.AllowedNetworks.Count == 0 || !TrustsEveryPeer(services.GetService<IOptions<ForwardedHeadersOptions>>()?.Value))
        {
            return;
        }

        var production = services.GetService<IHostEnvironment>()?.IsProduction() ?? false;
        if (production && !options.AllowForwardedHeadersFromAnyPeer)
        {
            throw new InvalidOperationException(
                Risk + ", or, if a network boundary already guarantees that only your proxy can reach this application, set MaintenanceMode:AllowForwardedHeadersFromAnyPeer=true. "
                + "Maintenance mode refuses to start in Production until then.");
        }

        MaintenanceLog.ForwardedHeadersTrustEveryPeer(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MaintenanceModeMiddleware).FullName!), Risk + ".");
    }

    internal static bool TrustsEveryPeer(ForwardedHeadersOptions? forwarded) =>
        forwarded is not null
        && forwarded.ForwardedHeaders.HasFlag(ForwardedHeaders.XForwardedFor)
        && forwarded.KnownProxies.Count == 0
        && forwarded.KnownIPNetworks.Count == 0;
}
