namespace MaintenanceMiddleware;

/// <summary>Names used by the maintenance API-key authentication scheme.</summary>
public static class MaintenanceApiKeyDefaults
{
    /// <summary>The authentication scheme name.</summary>
    public const string AuthenticationScheme = "MaintenanceApiKey";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Maintenance-Key";

    /// <summary>The <c>Authorization</c> header scheme that may carry the key instead (<c>Authorization: ApiKey &lt;key&gt;</c>).</summary>
    public const string AuthorizationHeaderScheme = "ApiKey";

    /// <summary>The authorization policy created by <c>AddMaintenanceOperatorPolicy</c>.</summary>
    public const string PolicyName = "MaintenanceOperator";

    /// <summary>The claim that carries the name of the key a request authenticated with.</summary>
    public const string KeyNameClaimType = "maintenance_api_key";

    /// <summary>The configuration section the keys are read from: <c>MaintenanceMode:ApiKeys:&lt;name&gt;:Hash</c>.</summary>
    public const string ConfigurationSection = "MaintenanceMode:ApiKeys";
}
