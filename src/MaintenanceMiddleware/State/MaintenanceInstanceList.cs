using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>The instances a store knows, as read at one moment of the store's clock.</summary>
public sealed record MaintenanceInstanceList
{
    /// <summary>The store's time when the list was read; compare <see cref="MaintenanceInstanceReport.LastHeartbeat"/> with it, not with a local clock.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>Every readable report, live or not (an instance that stopped cleanly is not among them), by instance id.</summary>
    public required IReadOnlyList<MaintenanceInstanceReport> Instances { get; init; }

    /// <summary>Entries that could not be read (corrupt, truncated), each named with why; they are ignored and never block a switch.</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];

    /// <summary>The instances that count as running at <see cref="AsOf"/>.</summary>
    [JsonIgnore]
    public IEnumerable<MaintenanceInstanceReport> Live => Instances.Where(i => i.IsLiveAt(AsOf));
}
