using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>
/// The stored maintenance state of one application, or of the whole environment
/// (<see cref="AllApplications"/>). Immutable: a change is a new instance with a higher <see cref="Version"/>.
/// </summary>
/// <remarks>
/// Whether maintenance is in force is computed from this record and the clock
/// (<see cref="IsActiveAt(DateTimeOffset)"/>), so a scheduled window starts and ends on every instance without a write.
/// </remarks>
public sealed record MaintenanceState
{
    /// <summary>The application name of the environment-wide entry, which takes every application down at once.</summary>
    public const string AllApplications = "*";

    /// <summary>The application this state belongs to, or <see cref="AllApplications"/>.</summary>
    public required string Application { get; init; }

    /// <summary>Whether maintenance is switched on (it is in force only inside the window, see <see cref="IsActiveAt(DateTimeOffset)"/>).</summary>
    public bool Enabled { get; init; }

    /// <summary>Full maintenance, or read-only (safe methods still pass).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<MaintenanceMode>))]
    public MaintenanceMode Mode { get; init; } = MaintenanceMode.Full;

    /// <summary>Why maintenance was switched on or off, as the operator wrote it.</summary>
    public string? Reason { get; init; }

    /// <summary>What visitors and API clients are told (the public message); <see langword="null"/> means the configured default or a neutral text. Never the internal <see cref="Reason"/>.</summary>
    public string? Message { get; init; }

    /// <summary>When the window starts; <see langword="null"/> means at once.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>When the window ends; <see langword="null"/> means when someone disables it.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>IPs or CIDR ranges let through during this window, on top of the configured allowlist.</summary>
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];

    /// <summary>Who made the last change (user name, API key name, or <c>cli:user@host</c>).</summary>
    public string? ChangedBy { get; init; }

    /// <summary>When the last change was made (UTC).</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>Incremented by every change; <c>0</c> means never written. Used for optimistic concurrency.</summary>
    public long Version { get; init; }

    /// <summary>Whether maintenance is in force at <paramref name="now"/>: enabled, started, and not yet ended.</summary>
    public bool IsActiveAt(DateTimeOffset now) =>
        Enabled && (StartsAt is null || now >= StartsAt) && (EndsAt is null || now < EndsAt);

    /// <summary>The state of an application that has never been switched: off, version 0.</summary>
    public static MaintenanceState Off(string application) => new() { Application = application };
}
