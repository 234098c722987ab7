using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// At start-up, every application name used outside the options (<c>AddMaintenanceGate</c>,
/// <c>AddMaintenanceModeObserver&lt;T&gt;(name)</c>) must be one the host declares: its own, <c>*</c>, or one of
/// <c>MaintenanceMode:Applications</c>. A typo would otherwise gate nothing.
/// </summary>
internal sealed class ApplicationReferencesValidator(IEnumerable<MaintenanceApplicationReference> references) : IValidateOptions<MaintenanceModeOptions>
{
    public ValidateOptionsResult Validate(string? name, MaintenanceModeOptions options)
    {
        var declared = Declared(options);
        var failures = references
            .Where(r => !declared.Contains(r.Application, StringComparer.OrdinalIgnoreCase))
            .Select(r => $"{r.UsedBy}: {MaintenanceApplicationGates.UndeclaredMessage(r.Application, declared)}")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The names a host declares: its own, <c>*</c>, then <c>MaintenanceMode:Applications</c>.</summary>
    internal static IReadOnlyList<string> Declared(MaintenanceModeOptions options) =>
        [.. new[] { options.ApplicationName, MaintenanceState.AllApplications }.Concat(options.Applications).Distinct(StringComparer.OrdinalIgnoreCase)];
}
