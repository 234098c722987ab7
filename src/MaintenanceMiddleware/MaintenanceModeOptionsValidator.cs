using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>Validates <see cref="MaintenanceModeOptions"/> at start-up; every failure names the configuration entry.</summary>
internal sealed class MaintenanceModeOptionsValidator(IHostEnvironment environment) : IValidateOptions<MaintenanceModeOptions>
{
    public ValidateOptionsResult Validate(string? name, MaintenanceModeOptions options)
    {
        var failures = new List<string>();
        const string prefix = MaintenanceModeOptions.SectionName;

        if (!MaintenanceRules.TryValidateApplication(options.Application, allowAll: false, out var error))
        {
            failures.Add($"{prefix}:Application: {error}");
        }

        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (!IpNetworkParser.TryParse(options.AllowedNetworks[i], out _, out error))
            {
                failures.Add($"{prefix}:AllowedNetworks:{i}: {error}");
            }
        }

        for (var i = 0; i < options.Applications.Count; i++)
        {
            if (!MaintenanceRules.TryValidateApplication(options.Applications[i], allowAll: false, out error))
            {
                failures.Add($"{prefix}:Applications:{i}: {error}");
            }
        }

        for (var i = 0; i < options.ExemptPaths.Count; i++)
        {
            var path = options.ExemptPaths[i];
            if (string.IsNullOrWhiteSpace(path) || path[0] != '/')
            {
                failures.Add($"{prefix}:ExemptPaths:{i}: '{path}' must be a path prefix that starts with '/'.");
            }
            else if (path.AsSpan().Trim('/').IsEmpty)
            {
                // "/" would exempt every path, so maintenance would never answer a single request.
                failures.Add($"{prefix}:ExemptPaths:{i}: '{path}' exempts every path, so maintenance would never show; name the prefixes to keep open, such as '/health'.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.AssetsPath) || options.AssetsPath[0] != '/' || options.AssetsPath.Length < 2 || options.AssetsPath.EndsWith('/'))
        {
            failures.Add($"{prefix}:AssetsPath: '{options.AssetsPath}' must be a path like '/maintenance' (starts with '/', no trailing '/').");
        }

        if (string.IsNullOrWhiteSpace(options.PagesRoot))
        {
            failures.Add($"{prefix}:PagesRoot: a folder relative to the content root is required.");
        }
        else
        {
            var contentRoot = Path.GetFullPath(environment.ContentRootPath);
            var pagesRoot = Path.GetFullPath(options.PagesRoot, contentRoot);
            var rootWithSeparator = Path.EndsInDirectorySeparator(contentRoot) ? contentRoot : contentRoot + Path.DirectorySeparatorChar;
            if (!pagesRoot.StartsWith(rootWithSeparator, StringComparison.Ordinal) && pagesRoot != contentRoot)
            {
                failures.Add($"{prefix}:PagesRoot: '{options.PagesRoot}' resolves to '{pagesRoot}', outside the content root '{contentRoot}'.");
            }
        }

        if (options.RetryAfter <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:RetryAfter: must be positive (e.g. 00:05:00).");
        }
        else if (options.RetryAfter > MaintenanceRules.MaxWindow)
        {
            // No window may be longer, so a longer Retry-After only tells clients never to come back.
            failures.Add($"{prefix}:RetryAfter: '{options.RetryAfter}' is longer than the longest maintenance window ({MaintenanceRules.MaxWindowDays} days); use e.g. 00:05:00.");
        }

        if (!MaintenanceRules.TryValidateMessage(options.DefaultMessage, out error))
        {
            failures.Add($"{prefix}:DefaultMessage: {error}");
        }

        if (options.BypassLinkMaxLifetime <= TimeSpan.Zero || options.BypassLinkMaxLifetime > MaintenanceRules.MaxWindow)
        {
            failures.Add($"{prefix}:BypassLinkMaxLifetime: '{options.BypassLinkMaxLifetime}' must be positive and at most {MaintenanceRules.MaxWindowDays} days (e.g. 1.00:00:00).");
        }

        if (options.StartupTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:StartupTimeout: must be positive.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1) || options.HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix}:HeartbeatInterval: must be between 00:00:01 and 00:05:00 (it was {options.HeartbeatInterval}).");
        }

        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{prefix}:DrainTimeout: must be between 00:00:00 and 00:10:00 (it was {options.DrainTimeout}).");
        }

        if (options.InstanceId is { } id && (string.IsNullOrWhiteSpace(id) || id.Length > 200 || id.Any(char.IsControl)))
        {
            failures.Add($"{prefix}:InstanceId: must be 1 to 200 printable characters.");
        }

        if (options.NoticeLead < TimeSpan.Zero || options.NoticeLead > MaintenanceRules.MaxWindow)
        {
            failures.Add($"{prefix}:NoticeLead: '{options.NoticeLead}' must be between 00:00:00 and {MaintenanceRules.MaxWindowDays} days (e.g. 1.00:00:00).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
