using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>Where one instance stands in confirming a change (see <see cref="MaintenanceConfirmation"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MaintenanceInstanceOutcome>))]
public enum MaintenanceInstanceOutcome
{
    /// <summary>It applied the change and drained: it answers as the change says, and nothing from before is still running.</summary>
    Confirmed,

    /// <summary>It has not applied the change yet (it still answers by an older version).</summary>
    NotApplied,

    /// <summary>It applied the change but is still draining (requests in flight, long-lived connections, observers running).</summary>
    Draining,

    /// <summary>It stopped reporting (no heartbeat for three intervals) before it confirmed: frozen, crashed or cut off from the store.</summary>
    Gone,

    /// <summary>It stopped cleanly (deregistered) before it confirmed: it no longer serves anyone, so it does not hold the change up.</summary>
    Stopped,
}
