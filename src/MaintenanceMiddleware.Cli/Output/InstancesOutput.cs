using System.Globalization;
using System.Text;

namespace MaintenanceMiddleware.Cli.Output;

/// <summary>What <c>maintenance instances</c> and <c>--wait</c> print: one line per instance, columns aligned.</summary>
internal static class InstancesOutput
{
    /// <summary>The instance table; <paramref name="storedVersions"/> gives each application's stored version (own + <c>*</c>) to show the lag.</summary>
    public static string List(MaintenanceInstanceList list, Func<string, (long Own, long Environment)> storedVersions)
    {
        if (list.Instances.Count == 0)
        {
            return Warnings(new StringBuilder("No instance reports to this store (an app reports once it runs with this library version and store)."), list.Unreadable).ToString();
        }

        List<string[]> rows = [["APPLICATION", "HOST", "INSTANCE", "APPLIED", "LAG", "IN FLIGHT", "LONG-LIVED", "PAUSED", "FORCED", "LAST BEAT", "STATE"]];
        foreach (var i in list.Instances.OrderBy(i => i.Application, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.InstanceId, StringComparer.Ordinal))
        {
            var own = i.AppliedVersionOf(i.Application);
            var all = i.AppliedVersionOf(MaintenanceState.AllApplications);
            var (storedOwn, storedAll) = storedVersions(i.Application);
            var lag = Math.Max(0, storedOwn - own) + Math.Max(0, storedAll - all);
            var live = i.IsLiveAt(list.AsOf);
            rows.Add(
            [
                MaintenanceText.Escape(i.Application),
                MaintenanceText.Escape(i.HostName),
                MaintenanceText.Escape(i.InstanceId),
                Invariant($"v{own} *v{all}"),
                lag == 0 ? "0" : Invariant($"{lag} behind"),
                Invariant($"{i.InFlightRequests}"),
                Invariant($"{i.OpenLongLivedConnections}"),
                i.BackgroundPaused ? "yes" : "no",
                i.ForcedByConfiguration ? "yes" : "no",
                Invariant($"{Math.Max(0, (list.AsOf - i.LastHeartbeat).TotalSeconds):0} s ago"),
                !live ? "gone" : i.Drained ? (i.InMaintenance ? "in maintenance" : "serving") : "draining: " + MaintenanceText.Escape(i.Pending ?? string.Empty),
            ]);
        }

        return Warnings(Table(rows), list.Unreadable).ToString();
    }

    /// <summary>The lines <c>status</c> adds for the live instances of an application: who is forced on by configuration, and what each applied.</summary>
    public static string StatusLines(MaintenanceInstanceList list, string application)
    {
        var live = list.Live.Where(i => string.Equals(i.Application, application, StringComparison.OrdinalIgnoreCase)).OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToList();
        if (live.Count == 0)
        {
            return "  instances:            no live instance reports to this store";
        }

        var text = new StringBuilder("  instances:            ").Append(live.Count.ToString(CultureInfo.InvariantCulture)).Append(" live");
        foreach (var i in live)
        {
            text.AppendLine().Append("    ").Append(MaintenanceText.Escape(i.InstanceId)).Append(" on ").Append(MaintenanceText.Escape(i.HostName))
                .Append(Invariant($": applied v{i.AppliedVersionOf(i.Application)}, '*' v{i.AppliedVersionOf(MaintenanceState.AllApplications)}, "))
                .Append(i.InMaintenance ? "in maintenance" : "serving")
                .Append(i.ForcedByConfiguration ? ", forced on by configuration (MaintenanceMode:Enabled=true)" : string.Empty);
        }

        return text.ToString();
    }

    /// <summary>Why a <c>disable</c> did not end maintenance on some instances: configuration forces it on there.</summary>
    public static string ForcedOn(string application, IReadOnlyList<MaintenanceInstanceReport> forced) =>
        $"{HumanOutput.Application(application)} stays in maintenance on {forced.Count} instance(s): configuration forces it on there (MaintenanceMode:Enabled=true), which the store cannot switch off: " +
        string.Join(", ", forced.Select(i => $"{MaintenanceText.Escape(i.InstanceId)} on {MaintenanceText.Escape(i.HostName)}")) + ". Remove the setting and restart them.";

    /// <summary>The per-instance outcome of a wait, headed by one sentence.</summary>
    public static string Confirmation(MaintenanceConfirmation result)
    {
        var name = HumanOutput.Application(result.Application);
        if (result.NoLiveInstance)
        {
            return Warnings(new StringBuilder($"No live instance of {name} reports to this store: nothing to confirm."), result.Unreadable).ToString();
        }

        var head = result.Confirmed
            ? Invariant($"Confirmed by {result.Instances.Count(i => i.Outcome == MaintenanceInstanceOutcome.Confirmed)} instance(s) of {name} in {result.Elapsed.TotalSeconds:0.0} s: version {result.Version} is applied and drained.")
            : Invariant($"NOT confirmed {(result.Elapsed < result.Timeout ? $"(after {result.Elapsed.TotalSeconds:0.0} s, the others being gone)" : $"within {MaintenanceDuration.Format(result.Timeout)}")}: {result.Instances.Count(i => i.Outcome != MaintenanceInstanceOutcome.Confirmed && i.Outcome != MaintenanceInstanceOutcome.Stopped)} of {result.Instances.Count} instance(s) of {name} did not confirm version {result.Version}.");
        List<string[]> rows = [["INSTANCE", "APPLICATION", "HOST", "OUTCOME", "DETAIL"]];
        rows.AddRange(result.Instances.Select(i => new[]
        {
            MaintenanceText.Escape(i.InstanceId), MaintenanceText.Escape(i.Application), MaintenanceText.Escape(i.HostName), Outcome(i.Outcome), MaintenanceText.Escape(i.Detail),
        }));
        return Warnings(new StringBuilder(head).AppendLine().Append(Table(rows)), result.Unreadable).ToString();
    }

    private static StringBuilder Warnings(StringBuilder text, IReadOnlyList<string> unreadable)
    {
        foreach (var entry in unreadable)
        {
            text.AppendLine().Append("warning: ignored an unreadable entry: ").Append(MaintenanceText.Escape(entry));
        }

        return text;
    }

    /// <summary>The error line of a wait that did not confirm: each instance that held it up, and why.</summary>
    public static string NotConfirmed(MaintenanceConfirmation result) =>
        $"not every instance confirmed within {MaintenanceDuration.Format(result.Timeout)} (the change IS stored): " +
        string.Join("; ", result.Instances
            .Where(i => i.Outcome is not (MaintenanceInstanceOutcome.Confirmed or MaintenanceInstanceOutcome.Stopped))
            .Select(i => $"{MaintenanceText.Escape(i.InstanceId)} ({MaintenanceText.Escape(i.Application)} on {MaintenanceText.Escape(i.HostName)}) {Outcome(i.Outcome)}: {MaintenanceText.Escape(i.Detail)}")) + ".";

    private static string Outcome(MaintenanceInstanceOutcome outcome) => outcome switch
    {
        MaintenanceInstanceOutcome.Confirmed => "confirmed",
        MaintenanceInstanceOutcome.NotApplied => "not applied",
        MaintenanceInstanceOutcome.Draining => "draining",
        MaintenanceInstanceOutcome.Gone => "gone",
        _ => "stopped",
    };

    private static StringBuilder Table(List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            if (text.Length > 0)
            {
                text.AppendLine();
            }

            for (var c = 0; c < row.Length; c++)
            {
                text.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }
        }

        return text;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
