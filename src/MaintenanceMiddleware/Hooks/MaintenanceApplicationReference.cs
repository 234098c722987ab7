namespace MaintenanceMiddleware;

/// <summary>
/// A use of an application name outside the maintenance options (a gated HTTP client, an observer for one application),
/// checked at start-up against the declared names so a typo stops the host instead of gating nothing.
/// </summary>
/// <param name="Application">The name as written.</param>
/// <param name="UsedBy">Where it was written, for the start-up message (e.g. <c>AddMaintenanceGate on the HttpClient 'storefront'</c>).</param>
internal sealed record MaintenanceApplicationReference(string Application, string UsedBy);
