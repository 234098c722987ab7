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

    /// <summary>
    /// The keys' section under the one given to <c>AddMaintenanceMode</c>: <c>ApiKeys:&lt;name&gt;:Hash</c>.
    /// </summary>
    public const string SectionName = "ApiKeys";

    /// <summary>
    /// Where the keys are read from when <c>AddMaintenanceMode</c> was given no configuration section, and the path
    /// printed by <c>maintenance hash-key</c>: <c>MaintenanceMode:ApiKeys:&lt;name&gt;:Hash</c>.
    /// </summary>
    public const string ConfigurationSection = "MaintenanceMode:ApiKeys";
}
