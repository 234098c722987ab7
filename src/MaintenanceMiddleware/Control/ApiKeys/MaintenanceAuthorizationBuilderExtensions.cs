using MaintenanceMiddleware;
using Microsoft.AspNetCore.Authorization;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the authorization policy the maintenance endpoints are usually mapped with.</summary>
public static class MaintenanceAuthorizationBuilderExtensions
{
    /// <summary>
    /// Adds the policy <see cref="MaintenanceApiKeyDefaults.PolicyName"/> (<c>MaintenanceOperator</c>): an authenticated
    /// user of the maintenance API-key scheme, or of any of <paramref name="additionalSchemes"/> (for example your
    /// cookie or JWT scheme, for people). Use it with
    /// <c>app.MapMaintenanceEndpoints("/_maintenance").RequireAuthorization("MaintenanceOperator")</c>.
    /// </summary>
    public static AuthorizationBuilder AddMaintenanceOperatorPolicy(this AuthorizationBuilder builder, params string[] additionalSchemes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(additionalSchemes);
        return builder.AddPolicy(MaintenanceApiKeyDefaults.PolicyName, policy => policy
            .AddAuthenticationSchemes([MaintenanceApiKeyDefaults.AuthenticationScheme, .. additionalSchemes])
            .RequireAuthenticatedUser());
    }
}
