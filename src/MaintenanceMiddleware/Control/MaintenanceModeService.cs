using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// The implementation of <see cref="IMaintenanceModeService"/> over any <see cref="IMaintenanceStateStore"/>.
/// The host registers it through <c>AddMaintenanceMode</c>; the <c>maintenance</c> CLI builds it directly over the
/// same store, so switching works while the application itself is down.
/// </summary>
public sealed class MaintenanceModeService : IMaintenanceModeService
{
    /// <summary>The largest window accepted (end minus now), so that a typo like <c>--for 9999d</c> is caught.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

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
        if (!Enum.IsDefined(request.Mode))
        {
            throw new MaintenanceValidationException("mode", $"The mode '{request.Mode}' is unknown; use Full or ReadOnly.");
        }

        var now = _time.GetUtcNow();
        if (request.EndsAt is not null && request.Duration is not null)
        {
            throw new MaintenanceValidationException("endsAt", "Give either an end time or a duration, not both.");
        }

        if (request.Duration is { } d && (d <= TimeSpan.Zero || d > MaxWindow))
        {
            throw new MaintenanceValidationException("duration", $"The duration must be positive and at most {MaxWindow.TotalDays:0} days.");
        }

        var startsAt = request.StartsAt?.ToUniversalTime();
        var endsAt = request.EndsAt?.ToUniversalTime() ?? (request.Duration is { } duration ? (startsAt ?? now) + duration : null);
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

            if (end - now > MaxWindow)
            {
                throw new MaintenanceValidationException("endsAt", $"The end time {end:O} is more than {MaxWindow.TotalDays:0} days away.");
            }
        }

        if (startsAt is { } s && s - now > MaxWindow)
        {
            throw new MaintenanceValidationException("startsAt", $"The start time {s:O} is more than {MaxWindow.TotalDays:0} days away.");
        }

        var requested = request.AllowedNetworks ?? [];
        var networks = new List<string>(requested.Count);
        for (var i = 0; i < requested.Count; i++)
        {
            if (!MaintenanceValidation.TryParseNetwork(requested[i], out var network, out var error))
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
        var actor = request.Actor ?? MaintenanceActor.Code();
        return await ChangeAsync(application, request.ExpectedVersion, MaintenanceAction.Disable, request.Reason, actor, before => before with
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
            application = ValidateApplication(application);
        }

        if (limit is < 1 or > 10_000)
        {
            throw new MaintenanceValidationException("limit", $"The limit must be between 1 and 10000 (got {limit}).");
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

    /// <summary>Validates the name and returns it as it is known (the configured spelling, for names that differ only in case).</summary>
    private string ValidateApplication(string? application)
    {
        if (!MaintenanceValidation.TryValidateApplication(application, allowAll: true, out var error))
        {
            throw new MaintenanceValidationException("application", error);
        }

        if (application == MaintenanceState.AllApplications)
        {
            return application;
        }

        if (_options.Application is { } own && string.Equals(own, application, StringComparison.OrdinalIgnoreCase))
        {
            return own;
        }

        foreach (var known in _options.Applications)
        {
            if (string.Equals(known, application, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        // Outside a host nothing names the applications (Application is set by the host): then any valid name is known.
        if (AllowAnyApplication || (_options.Application is null && _options.Applications.Count == 0))
        {
            return application!;
        }

        var names = new List<string>();
        if (_options.Application is { } name)
        {
            names.Add(name);
        }

        names.AddRange(_options.Applications.Where(a => !names.Contains(a, StringComparer.OrdinalIgnoreCase)));
        names.Add(MaintenanceState.AllApplications + " (all applications)");
        throw new MaintenanceValidationException(
            "application",
            $"Unknown application '{application}'. Known applications: {string.Join(", ", names)}. List more in MaintenanceMode:Applications.");
    }

    private static void ValidateReason(string reason)
    {
        if (!MaintenanceValidation.TryValidateReason(reason, out var error))
        {
            throw new MaintenanceValidationException("reason", error);
        }
    }

    private static void ValidateActor(MaintenanceActor actor)
    {
        if (string.IsNullOrWhiteSpace(actor.Name) || string.IsNullOrWhiteSpace(actor.Source))
        {
            throw new MaintenanceValidationException("actor", "The actor needs a name and a source.");
        }
    }
}
