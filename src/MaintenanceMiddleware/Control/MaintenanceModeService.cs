using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// The implementation of <see cref="IMaintenanceModeService"/> over any <see cref="IMaintenanceStateStore"/>.
/// The host registers it through <c>AddMaintenanceMode</c>; the <c>maintenance</c> CLI builds it over the same store
/// through <see cref="MaintenanceModeServiceFactory"/>, so switching works while the application itself is down.
/// </summary>
internal sealed partial class MaintenanceModeService : IMaintenanceModeService
{
    private readonly IMaintenanceStateStore _store;
    private readonly MaintenanceModeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service over <paramref name="store"/>.</summary>
    /// <param name="store">Where state and audit live.</param>
    /// <param name="options">
    /// The options; <see cref="MaintenanceModeOptions.Application"/> is the default application, and it together with
    /// <see cref="MaintenanceModeOptions.Applications"/> and <c>*</c> are the known applications.
    /// </param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where changes are logged; nowhere when <see langword="null"/>.</param>
    public MaintenanceModeService(
        IMaintenanceStateStore store,
        IOptions<MaintenanceModeOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<MaintenanceModeService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Whether any valid application name is accepted, instead of only the known ones (this application,
    /// <see cref="MaintenanceModeOptions.Applications"/> and <c>*</c>). The <c>maintenance</c> CLI sets it: it works on a
    /// store shared by several applications and does not know their names. Hosts leave it off, so a typo in an
    /// application name is refused instead of silently switching nothing. When the options name no application at all
    /// (a service built outside a host), any valid name is accepted too.
    /// </summary>
    public bool AllowAnyApplication { get; init; }

    /// <summary>
    /// Whether configuration forces maintenance on now. A host sets it to follow <c>MaintenanceMode:Enabled</c> through
    /// configuration reloads; without it, the <see cref="MaintenanceModeOptions.Enabled"/> given at construction counts.
    /// </summary>
    internal Func<bool>? ForcedByConfiguration { get; set; }

    /// <inheritdoc />
    public async Task<MaintenanceStatus> GetStatusAsync(string? application = null, CancellationToken cancellationToken = default)
    {
        application = ValidateApplication(application ?? _options.ApplicationName);
        var states = await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var forced = (ForcedByConfiguration?.Invoke() ?? _options.Enabled) && string.Equals(application, _options.ApplicationName, StringComparison.OrdinalIgnoreCase);
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
        var application = ValidateApplication(request.Application);
        ValidateReason(request.Reason);
        ValidateMessage(request.Message);
        ValidateExpectedVersion(request.ExpectedVersion);
        if (!MaintenanceRules.TryValidateMode(request.Mode, out var modeError))
        {
            throw new MaintenanceValidationException("mode", modeError);
        }

        var now = _time.GetUtcNow();
        if (request.EndsAt is not null && request.Duration is not null)
        {
            throw new MaintenanceValidationException("endsAt", "Give either an end time or a duration, not both.");
        }

        var maxWindow = MaintenanceRules.MaxWindow;
        if (request.Duration is { } d && (d <= TimeSpan.Zero || d > maxWindow))
        {
            throw new MaintenanceValidationException("duration", $"The duration must be positive and at most {MaintenanceRules.MaxWindowDays} days.");
        }

        var startsAt = request.StartsAt?.ToUniversalTime();
        var endsAt = request.EndsAt?.ToUniversalTime();
        if (endsAt is null && request.Duration is { } duration)
        {
            // Checked before it is added to: a start near year 9999 plus a duration would overflow.
            ValidateStart(startsAt, now);
            endsAt = (startsAt ?? now) + duration;
        }

        if (endsAt is { } end)
        {
            if (startsAt is { } start && end <= start)
            {
                throw new MaintenanceValidationException("endsAt", $"The end time {end:O} is not after the start time {start:O}.");
            }

            if (end <= now)
            {
                throw new MaintenanceValidationException("endsAt", $"The end time {end:O} is in the past (now is {now:O}).");
            }

            if (end - now > maxWindow)
            {
                throw new MaintenanceValidationException("endsAt", $"The end time {end:O} is more than {MaintenanceRules.MaxWindowDays} days away.");
            }
        }

        ValidateStart(startsAt, now);

        var requested = request.AllowedNetworks ?? [];
        var networks = new List<string>(requested.Count);
        for (var i = 0; i < requested.Count; i++)
        {
            if (!IpNetworkParser.TryParse(requested[i], out var network, out var error))
            {
                throw new MaintenanceValidationException("allowedNetworks", $"Entry {i}: {error}");
            }

            var text = network.ToString();
            if (!networks.Contains(text, StringComparer.Ordinal))
            {
                networks.Add(text);
            }
        }

        var actor = request.Actor ?? MaintenanceActor.Code();
        return await ChangeAsync(application, request.ExpectedVersion, MaintenanceAction.Enable, request.Reason, actor, before => before with
        {
            Enabled = true,
            Mode = request.Mode,
            Reason = request.Reason,
            Message = request.Message,
            StartsAt = startsAt,
            EndsAt = endsAt,
            AllowedNetworks = networks,
        }, now, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MaintenanceState> DisableAsync(DisableMaintenanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var application = ValidateApplication(request.Application);
        ValidateReason(request.Reason);
        ValidateExpectedVersion(request.ExpectedVersion);
        var actor = request.Actor ?? MaintenanceActor.Code();
        return await ChangeAsync(application, request.ExpectedVersion, MaintenanceAction.Disable, request.Reason, actor, before => before with
        {
            Enabled = false,
            Reason = request.Reason,
            Message = null,
            StartsAt = null,
            EndsAt = null,
            AllowedNetworks = [],
        }, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = MaintenanceRules.DefaultAuditLimit, CancellationToken cancellationToken = default)
    {
        if (application is not null)
        {
            application = ValidateApplication(application);
        }

        if (!MaintenanceRules.TryValidateAuditLimit(limit, out var error))
        {
            throw new MaintenanceValidationException("limit", error);
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
        ValidateActor(actor);
        IReadOnlyList<MaintenanceState> states;
        try
        {
            states = await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MaintenanceStoreException ex) when (ex.RecoverableStates is { } lastKnown)
        {
            // The stored state vanished (a deleted state file): a change is how an operator writes it anew.
            states = await lastKnown(cancellationToken).ConfigureAwait(false);
        }

        var before = states.FirstOrDefault(s => string.Equals(s.Application, application, StringComparison.OrdinalIgnoreCase))
            ?? MaintenanceState.Off(application);
        if (expectedVersion is { } expected && expected != before.Version)
        {
            MaintenanceLog.ChangeConflict(_logger, application, actor.Name, expected, before.Version);
            throw new MaintenanceConflictException(before.Application, expected, before.Version);
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

        try
        {
            await _store.SaveAsync(after, before.Version, entry, cancellationToken).ConfigureAwait(false);
        }
        catch (MaintenanceConflictException ex)
        {
            MaintenanceLog.ChangeConflict(_logger, application, actor.Name, ex.ExpectedVersion, ex.ActualVersion);
            throw;
        }

        MaintenanceLog.Changed(_logger, entry);
        return after;
    }
}
