
namespace MaintenanceMiddleware;

/// <summary>
/// The one code path that changes maintenance state. The HTTP endpoints, the <c>maintenance</c> CLI and host code
/// all go through it. Every change needs a reason and lands in the audit trail together with the state.
/// </summary>
public interface IMaintenanceModeService
{
    /// <summary>Reads the current status of <paramref name="application"/> (the configured application when <see langword="null"/>) from the store.</summary>
    /// <exception cref="MaintenanceValidationException">The application name is invalid or unknown.</exception>
    Task<MaintenanceStatus> GetStatusAsync(string? application = null, CancellationToken cancellationToken = default);

    /// <summary>Switches maintenance on.</summary>
    /// <returns>The new stored state.</returns>
    /// <exception cref="MaintenanceValidationException">The request is invalid; nothing changed.</exception>
    /// <exception cref="MaintenanceConflictException">Someone else changed the state first; nothing changed.</exception>
    Task<MaintenanceState> EnableAsync(EnableMaintenanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Switches maintenance off.</summary>
    /// <returns>The new stored state.</returns>
    /// <exception cref="MaintenanceValidationException">The request is invalid; nothing changed.</exception>
    /// <exception cref="MaintenanceConflictException">Someone else changed the state first; nothing changed.</exception>
    Task<MaintenanceState> DisableAsync(DisableMaintenanceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit trail, newest first.</summary>
    Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default);
}
