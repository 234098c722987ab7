using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace MaintenanceMiddleware;

/// <summary>
/// Refuses to build a maintenance endpoint that anyone could call: it must carry an authorization policy and must
/// not be marked anonymous. Runs as a "finally" convention, after every other convention has added its metadata.
/// </summary>
internal static class MaintenanceEndpointsAuthorizationCheck
{
    public static void Check(EndpointBuilder builder, string prefix)
    {
        var hasPolicy = false;
        foreach (var item in builder.Metadata)
        {
            switch (item)
            {
                case IAllowAnonymous:
                    throw new InvalidOperationException(
                        $"The maintenance endpoints under '{prefix}' are marked [AllowAnonymous]. They switch the whole site off and are never anonymous: " +
                        "remove AllowAnonymous and require a policy, e.g. app.MapMaintenanceEndpoints(\"/_maintenance\").RequireAuthorization(\"MaintenanceOperator\").");
                case IAuthorizeData or AuthorizationPolicy or IAuthorizationRequirementData:
                    hasPolicy = true;
                    break;
            }
        }

        if (!hasPolicy)
        {
            throw new InvalidOperationException(
                $"The maintenance endpoints under '{prefix}' have no authorization policy, and they are never anonymous. " +
                "Chain one, e.g. app.MapMaintenanceEndpoints(\"/_maintenance\").RequireAuthorization(\"MaintenanceOperator\") " +
                "(see AddMaintenanceApiKey and AddMaintenanceOperatorPolicy for an API-key policy for pipelines), " +
                "or set the configuration key MaintenanceMode:Endpoints:AuthorizationPolicy.");
        }
    }
}
