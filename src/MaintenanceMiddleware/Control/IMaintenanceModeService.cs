
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

    /// <summary>Creates a bypass link: a tester who opens it passes maintenance as an allowlisted visitor would, until it expires or is revoked.</summary>
    /// <returns>The stored link and its path, which holds the token: shown once, it cannot be read back.</returns>
    /// <exception cref="MaintenanceValidationException">The request is invalid (name, reason, a lifetime beyond the cap); nothing changed.</exception>
    Task<MaintenanceBypassLinkCreated> CreateBypassLinkAsync(CreateBypassLinkRequest request, CancellationToken cancellationToken = default);

    /// <summary>The live (neither revoked nor expired) bypass links, of every application or of those that open <paramref name="application"/>; soonest to expire first.</summary>
    Task<IReadOnlyList<MaintenanceBypassLink>> GetBypassLinksAsync(string? application = null, CancellationToken cancellationToken = default);

    /// <summary>Ends a bypass link at once, on every instance with the next snapshot.</summary>
    /// <returns>The revoked link.</returns>
    /// <exception cref="MaintenanceValidationException">No such link, or it was revoked or expired already; nothing changed.</exception>
    Task<MaintenanceBypassLink> RevokeBypassLinkAsync(RevokeBypassLinkRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the instances that report to the store (see <see cref="IMaintenanceInstanceRegistry"/>), live or not, with the
    /// store's time: all of them, or those serving <paramref name="application"/>.
    /// </summary>
    /// <exception cref="MaintenanceValidationException">The application name is invalid.</exception>
    /// <exception cref="MaintenanceStoreException">The store cannot be read, or keeps no instance registry.</exception>
    Task<MaintenanceInstanceList> GetInstancesAsync(string? application = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until every live instance that <paramref name="application"/>'s change concerns (its own instances, those
    /// declaring it, or all for <c>*</c>) has applied <paramref name="version"/> and drained, or until
    /// <paramref name="timeout"/>. Returns where each instance stands; never throws for an instance that did not confirm.
    /// </summary>
    /// <param name="application">The changed application, or <c>*</c>.</param>
    /// <param name="version">The stored version to confirm, as returned by <see cref="EnableAsync"/> or <see cref="DisableAsync"/>.</param>
    /// <param name="timeout">How long to wait: positive, at most one hour.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="MaintenanceValidationException">The application, version or timeout is invalid (field <c>wait</c> for the timeout).</exception>
    /// <exception cref="MaintenanceStoreException">The store cannot be read, or keeps no instance registry.</exception>
    Task<MaintenanceConfirmation> WaitForInstancesAsync(string application, long version, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit trail, newest first.</summary>
    Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default);
}
