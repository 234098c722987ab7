using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>One change in the audit trail: who switched what, when, from where and why, with the state before and after.</summary>
public sealed record MaintenanceAuditEntry
{
    /// <summary>When the change was made (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Enable or disable.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<MaintenanceAction>))]
    public required MaintenanceAction Action { get; init; }

    /// <summary>The application changed, or <see cref="MaintenanceState.AllApplications"/>.</summary>
    public required string Application { get; init; }

    /// <summary>The reason given for the change.</summary>
    public required string Reason { get; init; }

    /// <summary>Who made the change (user name, API key name, or <c>cli:user@host</c>).</summary>
    public required string Actor { get; init; }

    /// <summary>Where the change came from (client IP address, <c>cli</c> or <c>code</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The state before the change.</summary>
    public required MaintenanceState Before { get; init; }

    /// <summary>The state after the change.</summary>
    public required MaintenanceState After { get; init; }
}
