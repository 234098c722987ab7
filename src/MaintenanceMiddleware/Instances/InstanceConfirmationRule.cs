using System.Globalization;

namespace MaintenanceMiddleware;

/// <summary>
/// The one rule of confirmation: which instances a change concerns, and where each stands against the stored version.
/// The waiter, the service and every front end use it; nothing else decides what "confirmed" means.
/// </summary>
internal static class InstanceConfirmationRule
{
    /// <summary>Whether a change of <paramref name="application"/> concerns the instance: it serves it, declares it, or the change is <c>*</c>.</summary>
    public static bool Concerns(MaintenanceInstanceReport report, string application) =>
        application == MaintenanceState.AllApplications
        || string.Equals(report.Application, application, StringComparison.OrdinalIgnoreCase)
        || report.Applications.Any(a => string.Equals(a, application, StringComparison.OrdinalIgnoreCase));

    /// <summary>Where <paramref name="report"/> stands against <paramref name="version"/> of <paramref name="application"/>'s state at the store's time <paramref name="asOf"/>.</summary>
    public static MaintenanceInstanceConfirmation Judge(MaintenanceInstanceReport report, string application, long version, DateTimeOffset asOf)
    {
        var applied = report.AppliedVersionOf(application);
        var (outcome, detail) = !report.IsLiveAt(asOf)
            ? (MaintenanceInstanceOutcome.Gone, $"no heartbeat for {Seconds(asOf - report.LastHeartbeat)} (last {report.LastHeartbeat.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC); frozen, crashed or cut off from the store")
            : applied < version
                ? (MaintenanceInstanceOutcome.NotApplied, applied == 0 ? $"has not applied v{version} yet" : $"still on v{applied}, not v{version}")
                : !report.Drained
                    ? (MaintenanceInstanceOutcome.Draining, $"applied v{applied}, draining: {report.Pending ?? "in progress"}")
                    : (MaintenanceInstanceOutcome.Confirmed, $"applied v{applied}, drained, {(report.InMaintenance ? "in maintenance" : "serving")}");
        return new MaintenanceInstanceConfirmation
        {
            InstanceId = report.InstanceId,
            Application = report.Application,
            HostName = report.HostName,
            Outcome = outcome,
            AppliedVersion = applied,
            Detail = detail,
            Report = report,
        };
    }

    /// <summary>An instance that was running during the wait and deregistered before confirming.</summary>
    public static MaintenanceInstanceConfirmation Stopped(MaintenanceInstanceConfirmation last) =>
        last with { Outcome = MaintenanceInstanceOutcome.Stopped, Detail = "stopped cleanly before confirming; it serves no one" };

    /// <summary>Whether the instance needs no more waiting: confirmed, stopped, or gone.</summary>
    public static bool IsSettled(MaintenanceInstanceOutcome outcome) =>
        outcome is MaintenanceInstanceOutcome.Confirmed or MaintenanceInstanceOutcome.Stopped or MaintenanceInstanceOutcome.Gone;

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):0} s");
}
