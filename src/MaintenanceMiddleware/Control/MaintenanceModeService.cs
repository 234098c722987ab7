using MaintenanceMiddleware.Access;
using MaintenanceMiddleware.State;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Control;

/// <summary>
/// The implementation of <see cref="IMaintenanceModeService"/> over any <see cref="IMaintenanceStateStore"/>.
/// The host registers it through <c>AddMaintenanceMode</c>; the <c>maintenance</c> CLI builds it directly over the
/// same store, so switching works while the application itself is down.
/// </summary>
public sealed class MaintenanceModeService : IMaintenanceModeService
{
    private readonly IMaintenanceStateStore _store;
    private readonly MaintenanceModeOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the service over <paramref name="store"/>.</summary>
    /// <param name="store">Where state and audit live.</param>
    /// <param name="options">The options; <see cref="MaintenanceModeOptions.Application"/> is the default application and <see cref="MaintenanceModeOptions.Applications"/> the known ones.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public MaintenanceModeService(IMaintenanceStateStore store, IOptions<MaintenanceModeOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<MaintenanceStatus> GetStatusAsync(string? application = null, CancellationToken cancellationToken = default)
    {
        application ??= _options.ApplicationName;
        ValidateApplication(application);
        var states = await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var forced = _options.Enabled && string.Equals(application, _options.ApplicationName, StringComparison.OrdinalIgnoreCase);
        var snapshot = MaintenanceSnapshot.Compute(application, states, IpAllowList.Empty, forced, now);
        return new MaintenanceStatus
        {
            Application = application,
            IsActive = snapshot.IsActive,
            ForcedByConfiguration = forced,
            Effective = snapshot.Effective,
            Own = snapshot.Own,
            Environment = snapshot.Environment,
            AsOf = now,
        };
    }

    /// <inheritdoc />
    public async Task<MaintenanceState> EnableAsync(EnableMaintenanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateApplication(request.Application);
        ValidateReason(request.Reason);
        var now = _time.GetUtcNow();
        if (request.EndsAt is not null && request.Duration is not null)
        {
            throw new MaintenanceValidationException("endsAt", "Give either an end time or a duration, not both.");
        }

        if (request.Duration is { } d && d <= TimeSpan.Zero)
        {
            throw new MaintenanceValidationException("duration", "The duration must be positive.");
        }

        var startsAt = request.StartsAt;
        var endsAt = request.EndsAt ?? (request.Duration is { } duration ? (startsAt ?? now) + duration : null);
        if (endsAt is { } end)
        {
            if (end <= now)
            {
                throw new MaintenanceValidationException("endsAt", $"The end time {end:O} is in the past.");
            }

            if (startsAt is { } start && end <= start)
            {
                throw new MaintenanceValidationException("endsAt", $"The end time {end:O} is not after the start time {start:O}.");
            }
        }

        var networks = new List<string>(request.AllowedNetworks.Count);
        foreach (var entry in request.AllowedNetworks)
        {
            if (!MaintenanceValidation.TryParseNetwork(entry, out var network, out var error))
            {
                throw new MaintenanceValidationException("allowedNetworks", error);
            }

            networks.Add(network.ToString());
        }

        var actor = request.Actor ?? MaintenanceActor.Code();
        return await ChangeAsync(request.Application, request.ExpectedVersion, MaintenanceAction.Enable, request.Reason, actor, before => before with
        {
            Enabled = true,
            Mode = request.Mode,
            Reason = request.Reason,
            StartsAt = startsAt?.ToUniversalTime(),
            EndsAt = endsAt?.ToUniversalTime(),
            AllowedNetworks = networks,
        }, now, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MaintenanceState> DisableAsync(DisableMaintenanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateApplication(request.Application);
        ValidateReason(request.Reason);
        var actor = request.Actor ?? MaintenanceActor.Code();
        return await ChangeAsync(request.Application, request.ExpectedVersion, MaintenanceAction.Disable, request.Reason, actor, before => before with
        {
            Enabled = false,
            Reason = request.Reason,
            StartsAt = null,
            EndsAt = null,
            AllowedNetworks = [],
        }, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (application is not null)
        {
            ValidateApplication(application);
        }

        if (limit is < 1 or > 10_000)
        {
            throw new MaintenanceValidationException("limit", "The limit must be between 1 and 10000.");
        }

        return _store.GetAuditTrailAsync(application, limit, cancellationToken);
    }

    private async Task<MaintenanceState> ChangeAsync(
        string application,
        long? expectedVersion,
        MaintenanceAction action,
        string reason,
        MaintenanceActor actor,
        Func<MaintenanceState, MaintenanceState> change,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var states = await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false);
        var before = states.FirstOrDefault(s => string.Equals(s.Application, application, StringComparison.OrdinalIgnoreCase))
            ?? MaintenanceState.Off(application);
        if (expectedVersion is { } expected && expected != before.Version)
        {
            throw new MaintenanceConflictException(application, expected, before.Version);
        }

        var after = change(before) with
        {
            Application = before.Application,
            ChangedBy = actor.Name,
            ChangedAt = now,
            Version = before.Version + 1,
        };
        var entry = new MaintenanceAuditEntry
        {
            Timestamp = now,
            Action = action,
            Application = after.Application,
            Reason = reason,
            Actor = actor.Name,
            Source = actor.Source,
            Before = before,
            After = after,
        };
        await _store.SaveAsync(after, before.Version, entry, cancellationToken).ConfigureAwait(false);
        return after;
    }

    private void ValidateApplication(string application)
    {
        if (!MaintenanceValidation.TryValidateApplication(application, allowAll: true, out var error))
        {
            throw new MaintenanceValidationException("application", error);
        }

        if (application != MaintenanceState.AllApplications
            && _options.Applications.Count > 0
            && !_options.Applications.Contains(application, StringComparer.OrdinalIgnoreCase))
        {
            throw new MaintenanceValidationException("application", $"Unknown application '{application}'. Known applications: {string.Join(", ", _options.Applications)} (or '*' for all).");
        }
    }

    private static void ValidateReason(string reason)
    {
        if (!MaintenanceValidation.TryValidateReason(reason, out var error))
        {
            throw new MaintenanceValidationException("reason", error);
        }
    }
}
