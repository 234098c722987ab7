
namespace MaintenanceMiddleware;

/// <summary>
/// The immutable view of maintenance for this instance's application that requests read: one reference,
/// swapped by the state monitor. Everything the request path needs is precomputed here.
/// </summary>
internal sealed class MaintenanceSnapshot
{
    private MaintenanceSnapshot(
        string application,
        bool isActive,
        bool forcedByConfiguration,
        MaintenanceState effective,
        MaintenanceState own,
        MaintenanceState environment,
        IpAllowList allowList,
        DateTimeOffset? nextBoundary,
        IReadOnlyList<MaintenanceState> states,
        ReloadableMaintenanceOptions options,
        ApplicationMaintenanceSet applications,
        BypassLinkSet bypassLinks)
    {
        BypassLinks = bypassLinks;
        Intercepts = isActive || !bypassLinks.IsEmpty;
        Application = application;
        IsActive = isActive;
        ForcedByConfiguration = forcedByConfiguration;
        Effective = effective;
        Own = own;
        Environment = environment;
        AllowList = allowList;
        NextBoundary = nextBoundary;
        States = states;
        Options = options;
        Applications = applications;
    }

    public string Application { get; }

    /// <summary>
    /// Whether the middleware looks at requests at all: maintenance is in force, or a live bypass link may be opened
    /// (so a tester can open it before a window starts). False, the request goes straight on: the one read of the hot path.
    /// </summary>
    public bool Intercepts { get; }

    /// <summary>The live bypass links for this application (its own and the environment-wide ones).</summary>
    public BypassLinkSet BypassLinks { get; }

    /// <summary>Whether requests to this application get the maintenance response (unless let through).</summary>
    public bool IsActive { get; }

    public bool ForcedByConfiguration { get; }

    /// <summary>The state that governs now: the environment-wide one when in force, else the application's own.</summary>
    public MaintenanceState Effective { get; }

    public MaintenanceState Own { get; }

    public MaintenanceState Environment { get; }

    /// <summary>The configured allowlist plus the extra networks of the window(s) in force.</summary>
    public IpAllowList AllowList { get; }

    /// <summary>The next time a scheduled window starts or ends, when the snapshot must be recomputed.</summary>
    public DateTimeOffset? NextBoundary { get; }

    /// <summary>Every stored state the snapshot was computed from.</summary>
    public IReadOnlyList<MaintenanceState> States { get; }

    /// <summary>
    /// The reloadable options this snapshot was computed with (exempt paths, <c>Retry-After</c>, the configured
    /// allowlist, forced by configuration): swapped together with the state, so a request reads both at once.
    /// </summary>
    public ReloadableMaintenanceOptions Options { get; }

    /// <summary>
    /// The effective state of every application this host declares (<c>MaintenanceMode:Applications</c>, its own, and
    /// <c>*</c>), computed once with this snapshot, so a question about another application is a memory read.
    /// </summary>
    public ApplicationMaintenanceSet Applications { get; }

    public MaintenanceMode Mode => Effective.Mode;

    /// <summary>
    /// Computes the snapshot for <paramref name="application"/> from stored <paramref name="states"/> at <paramref name="now"/>.
    /// A window's extra networks that do not parse are ignored here (they were validated when written).
    /// </summary>
    public static MaintenanceSnapshot Compute(
        string application,
        IReadOnlyList<MaintenanceState> states,
        IpAllowList configuredAllowList,
        bool forcedByConfiguration,
        DateTimeOffset now) =>
        Compute(application, states, ReloadableMaintenanceOptions.Default.With(configuredAllowList, forcedByConfiguration), now);

    /// <summary>
    /// Computes the snapshot for <paramref name="application"/> from stored <paramref name="states"/> and the reloadable
    /// <paramref name="options"/> (configured allowlist, forced by configuration) at <paramref name="now"/>.
    /// </summary>
    public static MaintenanceSnapshot Compute(
        string application,
        IReadOnlyList<MaintenanceState> states,
        ReloadableMaintenanceOptions options,
        DateTimeOffset now) =>
        Compute(application, states, options, now, []);

    /// <summary>
    /// Computes the snapshot for <paramref name="application"/> and, beside it, the effective state of each of the
    /// <paramref name="declared"/> applications (the host's own and <c>*</c> are always included).
    /// </summary>
    public static MaintenanceSnapshot Compute(
        string application,
        IReadOnlyList<MaintenanceState> states,
        ReloadableMaintenanceOptions options,
        DateTimeOffset now,
        IReadOnlyList<string> declared)
    {
        var configuredAllowList = options.AllowList;
        var forcedByConfiguration = options.Enabled;
        MaintenanceState? own = null;
        MaintenanceState? environment = null;
        foreach (var state in states)
        {
            // The environment-wide entry first: for application "*" it is also the own entry (set below).
            if (state.Application == MaintenanceState.AllApplications)
            {
                environment = state;
            }
            else if (string.Equals(state.Application, application, StringComparison.OrdinalIgnoreCase))
            {
                own = state;
            }
        }

        own ??= MaintenanceState.Off(application);
        environment ??= MaintenanceState.Off(MaintenanceState.AllApplications);
        if (application == MaintenanceState.AllApplications)
        {
            own = environment;
        }

        var ownActive = own.IsActiveAt(now);
        var environmentActive = environment.IsActiveAt(now);

        MaintenanceState effective;
        if (environmentActive)
        {
            effective = environment;
        }
        else if (ownActive)
        {
            effective = own;
        }
        else if (forcedByConfiguration)
        {
            effective = own with { Enabled = true, Mode = MaintenanceMode.Full, Reason = "Forced by configuration (MaintenanceMode:Enabled=true).", StartsAt = null, EndsAt = null };
        }
        else
        {
            effective = own;
        }

        effective = Strictest(effective, environmentActive, ownActive && !ReferenceEquals(own, environment) ? own : null, forcedByConfiguration);

        var allowList = configuredAllowList;
        if (environmentActive)
        {
            allowList = allowList.Combine(ParseLenient(environment.AllowedNetworks));
        }

        if (ownActive && !ReferenceEquals(own, environment))
        {
            allowList = allowList.Combine(ParseLenient(own.AllowedNetworks));
        }

        var applications = ApplicationMaintenanceSet.Compute(
            new ApplicationMaintenance(application, forcedByConfiguration || ownActive || environmentActive, effective), declared, states, environment, now);
        var bypassLinks = ReferenceEquals(own, environment) ? BypassLinkSet.From(now, own) : BypassLinkSet.From(now, own, environment);
        var next = NextBoundaryAfter(now, own, environment);
        if (applications.NextBoundary is { } other && (next is null || other < next))
        {
            next = other;
        }

        if (bypassLinks.NextExpiry is { } expiry && (next is null || expiry < next))
        {
            next = expiry;
        }

        return new MaintenanceSnapshot(
            application,
            forcedByConfiguration || ownActive || environmentActive,
            forcedByConfiguration,
            effective,
            own,
            environment,
            allowList,
            next,
            states,
            options,
            applications,
            bypassLinks);
    }

    /// <summary>
    /// When more than one source is in force (the environment-wide entry, this application's own window, configuration),
    /// the strictest wins: <see cref="MaintenanceMode.Full"/> if any is Full, and the latest end (none, if any has none, or
    /// when forced by configuration, which has no end). Otherwise a read-only <c>*</c> window would let GETs through an
    /// application its operator took fully down, and <c>Retry-After</c> would promise an end that is not the real one.
    /// </summary>
    internal static MaintenanceState Strictest(MaintenanceState effective, bool environmentActive, MaintenanceState? ownAlsoActive, bool forcedByConfiguration)
    {
        if (!forcedByConfiguration && !(environmentActive && ownAlsoActive is not null))
        {
            return effective;
        }

        var mode = effective.Mode;
        var endsAt = effective.EndsAt;
        if (forcedByConfiguration)
        {
            mode = MaintenanceMode.Full;
            endsAt = null;
        }

        if (ownAlsoActive is not null && environmentActive)
        {
            if (ownAlsoActive.Mode == MaintenanceMode.Full)
            {
                mode = MaintenanceMode.Full;
            }

            endsAt = endsAt is { } a && ownAlsoActive.EndsAt is { } b ? (a > b ? a : b) : null;
        }

        return mode == effective.Mode && endsAt == effective.EndsAt ? effective : effective with { Mode = mode, EndsAt = endsAt };
    }

    internal static DateTimeOffset? NextBoundaryAfter(DateTimeOffset now, params ReadOnlySpan<MaintenanceState> states)
    {
        DateTimeOffset? next = null;
        foreach (var state in states)
        {
            if (!state.Enabled)
            {
                continue;
            }

            foreach (var boundary in (ReadOnlySpan<DateTimeOffset?>)[state.StartsAt, state.EndsAt])
            {
                if (boundary is { } b && b > now && (next is null || b < next))
                {
                    next = b;
                }
            }
        }

        return next;
    }

    private static IpAllowList ParseLenient(IReadOnlyList<string> entries)
    {
        if (entries.Count == 0)
        {
            return IpAllowList.Empty;
        }

        try
        {
            return IpAllowList.Parse(entries, "state");
        }
        catch (FormatException)
        {
            return IpAllowList.Empty;
        }
    }
}
