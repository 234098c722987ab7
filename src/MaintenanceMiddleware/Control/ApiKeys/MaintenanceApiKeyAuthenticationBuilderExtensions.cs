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
    /// from <c>MaintenanceMode:ApiKeys:&lt;name&gt;:Hash</c> (SHA-256 in hexadecimal, printed by <c>maintenance hash-key</c>),
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
                if (services.GetService<IConfiguration>() is not { } configuration)
                {
                    return;
                }

                foreach (var child in configuration.GetSection(MaintenanceApiKeyDefaults.ConfigurationSection).GetChildren())
                {
                    options.Keys[child.Key] = new MaintenanceApiKey { Hash = child["Hash"] };
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MaintenanceApiKeyOptions>>(new MaintenanceApiKeyOptionsValidator(authenticationScheme));
        return builder.AddScheme<MaintenanceApiKeyOptions, MaintenanceApiKeyHandler>(authenticationScheme, configure);
    }
}
