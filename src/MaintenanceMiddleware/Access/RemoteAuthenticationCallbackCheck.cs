using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Warns at start-up about every remote-authentication callback (<see cref="RemoteAuthenticationOptions.CallbackPath"/>
/// of an OpenID Connect, OAuth, WS-Federation... scheme) that maintenance would block. The identity provider sends the
/// browser back there, often as a cross-site POST that carries no bypass cookie and that read-only mode refuses, so a
/// sign-in started before or during a window fails with the maintenance page. The warning names the option that
/// exempts the path (<c>MaintenanceMode:ExemptPaths</c>).
/// </summary>
internal sealed class RemoteAuthenticationCallbackCheck(
    IServiceProvider services,
    IOptions<MaintenanceModeOptions> options,
    ILogger<RemoteAuthenticationCallbackCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IAuthenticationSchemeProvider>() is not { } schemes)
        {
            return;
        }

        var exempt = options.Value.EffectiveExemptPaths;
        foreach (var scheme in await schemes.GetAllSchemesAsync().ConfigureAwait(false))
        {
            if (CallbackPathOf(scheme) is not { HasValue: true } callback || IsExempt(callback, exempt))
            {
                continue;
            }

            var next = options.Value.ExemptPaths.Count;
            var keep = next == 0 ? $" (listing paths replaces the default '{MaintenanceModeOptions.DefaultExemptPath}': list it too, as {MaintenanceModeOptions.SectionName}:ExemptPaths:1)" : string.Empty;
            MaintenanceLog.RemoteCallbackBlocked(logger, callback.Value!, scheme.Name, $"{MaintenanceModeOptions.SectionName}:ExemptPaths:{next}", keep);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The callback path of a scheme whose handler is a <see cref="RemoteAuthenticationHandler{TOptions}"/>, read from its named options.</summary>
    private PathString? CallbackPathOf(AuthenticationScheme scheme)
    {
        for (var type = scheme.HandlerType; type is not null && type != typeof(object); type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(RemoteAuthenticationHandler<>))
            {
                var monitorType = typeof(IOptionsMonitor<>).MakeGenericType(type.GetGenericArguments()[0]);
                var monitor = services.GetService(monitorType);
                var get = monitorType.GetMethod(nameof(IOptionsMonitor<object>.Get), [typeof(string)]);
                return get?.Invoke(monitor, [scheme.Name]) is RemoteAuthenticationOptions remote ? remote.CallbackPath : null;
            }
        }

        return null;
    }

    private static bool IsExempt(PathString path, IReadOnlyList<string> exemptPaths)
    {
        foreach (var prefix in exemptPaths)
        {
            if (path.StartsWithSegments(new PathString(prefix.TrimEnd('/')), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
