using System.Globalization;
using System.Text;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Output;

/// <summary>Sentences that read well in a pipeline log. Times in UTC, durations as operators write them.</summary>
internal static class HumanOutput
{
    public static string Application(string application) =>
        application == MaintenanceState.AllApplications ? "all applications" : application;

    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Enabled(MaintenanceState state, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var scheduled = state.StartsAt is { } start && start > now;
        text.Append(scheduled ? "Maintenance scheduled for " : "Maintenance enabled for ").Append(Application(state.Application));
        if (state.Mode == MaintenanceMode.ReadOnly)
        {
            text.Append(" (read-only)");
        }

        if (scheduled)
        {
            text.Append(" from ").Append(Time(state.StartsAt!.Value)).Append(" (in ").Append(MaintenanceDuration.Format(state.StartsAt.Value - now)).Append(')');
        }

        if (state.EndsAt is { } end)
        {
            text.Append(" until ").Append(Time(end)).Append(" (").Append(MaintenanceDuration.Format(end - (scheduled ? state.StartsAt!.Value : now))).Append(')');
        }
        else
        {
            text.Append(" until it is disabled");
        }

        text.Append(". Reason: ").Append(Sentence(state.Reason));
        AppendMessage(text, state);
        if (state.AllowedNetworks.Count > 0)
        {
            text.Append(" Also let through: ").Append(string.Join(", ", state.AllowedNetworks)).Append('.');
        }

        return text.Append(" Version ").Append(state.Version.ToString(CultureInfo.InvariantCulture)).Append('.').ToString();
    }

    public static string Disabled(MaintenanceState state) =>
        $"Maintenance disabled for {Application(state.Application)}. Reason: {Sentence(state.Reason)} Version {state.Version.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary>The sentence before <see cref="Enabled"/> when the application's own entry was already on.</summary>
    public static string AlreadyOn(MaintenanceState own) =>
        $"Already in maintenance{By(own)}; the window and options are updated. ";

    /// <summary>Why a <c>disable</c> did not end maintenance: which entry keeps it on, who enabled it and when.</summary>
    public static string StillInMaintenance(MaintenanceStatus status)
    {
        var name = Application(status.Application);
        var effective = status.Effective;
        if (status.ForcedByConfiguration && !status.Own.IsActiveAt(status.AsOf) && !status.Environment.IsActiveAt(status.AsOf))
        {
            return $"{name} is still in maintenance: configuration forces it on (MaintenanceMode:Enabled=true on the app). Set it to false there; the CLI cannot override configuration.";
        }

        if (effective.Application == MaintenanceState.AllApplications && status.Application != MaintenanceState.AllApplications)
        {
            return $"{name} is still in maintenance through the environment-wide entry '*' (all applications){By(effective)}. Reason: {Sentence(effective.Reason)} Run 'maintenance disable --all' to end it.";
        }

        return $"{name} is still in maintenance through another window{By(effective)}. Reason: {Sentence(effective.Reason)} Run 'maintenance status' to see it.";
    }

    public static string Status(MaintenanceStatus status)
    {
        var summary = Summary(status);
        if (status.Application == MaintenanceState.AllApplications || status.Environment.Version == 0)
        {
            return summary;
        }

        return new StringBuilder(summary).AppendLine()
            .Append("  own entry:            ").Append(Entry(status.Own, status.AsOf)).AppendLine()
            .Append("  environment-wide '*': ").Append(Entry(status.Environment, status.AsOf))
            .Append(status.ForcedByConfiguration ? Environment.NewLine + "  configuration:        forced on (MaintenanceMode:Enabled=true)" : string.Empty)
            .ToString();
    }

    private static string Entry(MaintenanceState state, DateTimeOffset now)
    {
        if (state.Version == 0)
        {
            return "never switched";
        }

        var what = state.IsActiveAt(now) ? "on" : state.Enabled && state.StartsAt is { } start && start > now ? $"scheduled from {Time(start)}" : "off";
        return $"{what}{By(state)}, version {state.Version.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string By(MaintenanceState state) =>
        (state.ChangedBy is { } by ? $" (enabled by {MaintenanceText.Escape(by)}" + (state.ChangedAt is { } at ? $" at {Time(at)})" : ")") : string.Empty)
            .Replace("(enabled by", state.Enabled ? "(enabled by" : "(changed by", StringComparison.Ordinal);

    private static string Summary(MaintenanceStatus status)
    {
        var name = status.Application == MaintenanceState.AllApplications ? "All applications" : status.Application;
        var text = new StringBuilder(name).Append(": ");
        if (status.ForcedByConfiguration && !status.Own.IsActiveAt(status.AsOf) && !status.Environment.IsActiveAt(status.AsOf))
        {
            return text.Append("in maintenance, forced by configuration (MaintenanceMode:Enabled=true).").ToString();
        }

        var effective = status.Effective;
        if (status.IsActive)
        {
            text.Append("IN MAINTENANCE");
            if (effective.Application == MaintenanceState.AllApplications && status.Application != MaintenanceState.AllApplications)
            {
                text.Append(" (environment-wide, all applications)");
            }

            if (effective.Mode == MaintenanceMode.ReadOnly)
            {
                text.Append(" (read-only)");
            }

            text.Append(effective.EndsAt is { } end
                ? $" until {Time(end)} ({MaintenanceDuration.Format(end - status.AsOf)} left)"
                : " until it is disabled");
        }
        else
        {
            var upcoming = new[] { status.Own, status.Environment }
                .Where(s => s.Enabled && s.StartsAt is { } start && start > status.AsOf)
                .OrderBy(s => s.StartsAt)
                .FirstOrDefault();
            if (upcoming is null)
            {
                text.Append("not in maintenance");
                effective = status.Own.Version >= status.Environment.Version || status.Application == MaintenanceState.AllApplications ? status.Own : status.Environment;
            }
            else
            {
                effective = upcoming;
                text.Append("not in maintenance; scheduled from ").Append(Time(upcoming.StartsAt!.Value));
                if (upcoming.EndsAt is { } end)
                {
                    text.Append(" until ").Append(Time(end));
                }

                if (upcoming.Application == MaintenanceState.AllApplications && status.Application != MaintenanceState.AllApplications)
                {
                    text.Append(" (environment-wide)");
                }
            }
        }

        if (effective.Version == 0)
        {
            return text.Append(" (never switched).").ToString();
        }

        text.Append(". Reason: ").Append(Sentence(effective.Reason));
        AppendMessage(text, effective);
        if (effective.ChangedBy is { } by)
        {
            text.Append(" Last changed by ").Append(by);
            if (effective.ChangedAt is { } at)
            {
                text.Append(" at ").Append(Time(at));
            }

            text.Append('.');
        }

        return text.Append(" Version ").Append(effective.Version.ToString(CultureInfo.InvariantCulture)).Append('.').ToString();
    }

    public static string AuditLine(MaintenanceAuditEntry entry)
    {
        var what = entry.Action switch
        {
            MaintenanceAction.Enable => "enable ",
            MaintenanceAction.Disable => "disable",
            MaintenanceAction.BypassCreate => "bypass create",
            MaintenanceAction.BypassRevoke => "bypass revoke",
            MaintenanceAction.BypassUse => "bypass use",
            _ => entry.Action.ToString(),
        };
        var window = entry.Action == MaintenanceAction.Enable && entry.After.EndsAt is { } end ? $" until {Time(end)}" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{entry.Timestamp.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC  {what}  {Application(entry.Application)}{window}  by {MaintenanceText.Escape(entry.Actor)} from {MaintenanceText.Escape(entry.Source)}  v{entry.After.Version}  Reason: {MaintenanceText.Escape(entry.Reason)}{(entry.After.Message is { } message && entry.Action == MaintenanceAction.Enable ? "  Message: " + MaintenanceText.Escape(message) : string.Empty)}");
    }

    private static void AppendMessage(StringBuilder text, MaintenanceState state)
    {
        if (state.Enabled && state.Message is { } message)
        {
            text.Append(" Visitors see: ").Append(Sentence(message));
        }
    }

    private static string Sentence(string? reason)
    {
        var text = string.IsNullOrWhiteSpace(reason) ? "(none)" : MaintenanceText.Escape(reason.Trim());
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";
    }
}
