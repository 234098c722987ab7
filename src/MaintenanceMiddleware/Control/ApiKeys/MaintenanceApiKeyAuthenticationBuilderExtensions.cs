using MaintenanceMiddleware;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the opt-in API-key scheme for deployment pipelines that call the maintenance endpoints.</summary>
public static class MaintenanceApiKeyAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the maintenance API-key scheme (<see cref="MaintenanceApiKeyDefaults.AuthenticationScheme"/>). Keys are read
    /// from <c>ApiKeys:&lt;name&gt;:Hash</c> under the section given to <c>AddMaintenanceMode</c> (normally
    /// <c>MaintenanceMode:ApiKeys:&lt;name&gt;:Hash</c>; SHA-256 in hexadecimal, printed by <c>maintenance hash-key</c>),
    /// then <paramref name="configure"/> runs. The keys are validated at start-up.
    /// </summary>
    public static AuthenticationBuilder AddMaintenanceApiKey(this AuthenticationBuilder builder, Action<MaintenanceApiKeyOptions>? configure = null) =>
        builder.AddMaintenanceApiKey(MaintenanceApiKeyDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the maintenance API-key scheme under <paramref name="authenticationScheme"/>; see the other overload.</summary>
    public static AuthenticationBuilder AddMaintenanceApiKey(this AuthenticationBuilder builder, string authenticationScheme, Action<MaintenanceApiKeyOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        builder.Services.AddOptions<MaintenanceApiKeyOptions>(authenticationScheme)
            .Configure<IServiceProvider>(static (options, services) =>
            {
                if (KeysSection(services) is not { } section)
                {
                    return;
                }

                foreach (var child in section.GetChildren())
                {
                    options.Keys[child.Key] = new MaintenanceApiKey { Hash = child["Hash"] };
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MaintenanceApiKeyOptions>>(services =>
            new MaintenanceApiKeyOptionsValidator(authenticationScheme, KeysPath(services)));
        return builder.AddScheme<MaintenanceApiKeyOptions, MaintenanceApiKeyHandler>(authenticationScheme, configure);
    }

    /// <summary>The keys' section: under the one given to <c>AddMaintenanceMode</c>, else <c>MaintenanceMode:ApiKeys</c> of the app's configuration.</summary>
    private static IConfiguration? KeysSection(IServiceProvider services) =>
        services.GetService<MaintenanceModeConfiguration>() is { } given
            ? given.Section.GetSection(MaintenanceApiKeyDefaults.SectionName)
            : services.GetService<IConfiguration>()?.GetSection(MaintenanceApiKeyDefaults.ConfigurationSection);

    private static string KeysPath(IServiceProvider services) =>
        services.GetService<MaintenanceModeConfiguration>()?.PathOf(MaintenanceApiKeyDefaults.SectionName) ?? MaintenanceApiKeyDefaults.ConfigurationSection;
}
