using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// The options that follow configuration reloads (<see cref="MaintenanceModeOptions.Enabled"/>,
/// <see cref="MaintenanceModeOptions.AllowedNetworks"/>, <see cref="MaintenanceModeOptions.ExemptPaths"/>,
/// <see cref="MaintenanceModeOptions.RetryAfter"/>), compiled once per change. Every <see cref="MaintenanceSnapshot"/>
/// carries one, so a request reads the state and these options with the same single read. Immutable.
/// </summary>
internal sealed class ReloadableMaintenanceOptions
{
    private ReloadableMaintenanceOptions(bool enabled, string[] allowedNetworks, IpAllowList allowList, string[] exemptPaths, long retryAfterSeconds)
    {
        Enabled = enabled;
        AllowedNetworks = allowedNetworks;
        AllowList = allowList;
        ExemptPathValues = exemptPaths;
        ExemptPaths = [.. exemptPaths.Select(static p => new PathString(p.TrimEnd('/')))];
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The defaults: nothing forced, no allowlist, <c>/.well-known/</c> exempt, <c>Retry-After</c> 5 minutes.</summary>
    public static ReloadableMaintenanceOptions Default { get; } = Compile(new MaintenanceModeOptions());

    /// <summary>Maintenance forced on by configuration.</summary>
    public bool Enabled { get; }

    /// <summary>The configured allowlist entries, as written.</summary>
    public IReadOnlyList<string> AllowedNetworks { get; }

    /// <summary>The configured allowlist, compiled.</summary>
    public IpAllowList AllowList { get; }

    /// <summary>The exempt path prefixes in force, as written (or the default).</summary>
    public IReadOnlyList<string> ExemptPathValues { get; }

    /// <summary>The exempt path prefixes in force, without their trailing '/' (matched by segment).</summary>
    public PathString[] ExemptPaths { get; }

    /// <summary>The <c>Retry-After</c> seconds sent when the end of the window is not known.</summary>
    public long RetryAfterSeconds { get; }

    /// <summary>Compiles validated <paramref name="options"/>; throws <see cref="FormatException"/> naming the entry otherwise.</summary>
    public static ReloadableMaintenanceOptions Compile(MaintenanceModeOptions options)
    {
        string[] networks = [.. options.AllowedNetworks];
        return new ReloadableMaintenanceOptions(
            options.Enabled,
            networks,
            IpAllowList.Parse(networks, $"{MaintenanceModeOptions.SectionName}:{nameof(MaintenanceModeOptions.AllowedNetworks)}"),
            [.. options.EffectiveExemptPaths],
            Math.Max(1, (long)Math.Ceiling(options.RetryAfter.TotalSeconds)));
    }

    /// <summary>These options with another compiled allowlist and forced flag (for status computed outside a host).</summary>
    public ReloadableMaintenanceOptions With(IpAllowList allowList, bool enabled) =>
        new(enabled, [.. AllowedNetworks], allowList, [.. ExemptPathValues], RetryAfterSeconds);

    /// <summary>The names of the settings that differ from <paramref name="other"/> (empty when none do).</summary>
    public IReadOnlyList<string> ChangedFrom(ReloadableMaintenanceOptions other)
    {
        var changed = new List<string>(4);
        if (Enabled != other.Enabled)
        {
            changed.Add(nameof(MaintenanceModeOptions.Enabled));
        }

        if (!AllowedNetworks.SequenceEqual(other.AllowedNetworks, StringComparer.Ordinal))
        {
            changed.Add(nameof(MaintenanceModeOptions.AllowedNetworks));
        }

        if (!ExemptPathValues.SequenceEqual(other.ExemptPathValues, StringComparer.Ordinal))
        {
            changed.Add(nameof(MaintenanceModeOptions.ExemptPaths));
        }

        if (RetryAfterSeconds != other.RetryAfterSeconds)
        {
            changed.Add(nameof(MaintenanceModeOptions.RetryAfter));
        }

        return changed;
    }
}
