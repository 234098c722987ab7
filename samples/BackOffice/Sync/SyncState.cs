using System.Text.Json.Serialization;

namespace BackOffice.Sync;

/// <summary>What the catalogue synchronisation is doing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SyncState>))]
public enum SyncState
{
    /// <summary>Not started yet.</summary>
    Starting,

    /// <summary>Reading the whole catalogue.</summary>
    FullSync,

    /// <summary>Reading what changed.</summary>
    IncrementalSync,

    /// <summary>Up to date, waiting for the next round.</summary>
    Idle,

    /// <summary>Maintenance is in force: waiting for it to end.</summary>
    Paused,

    /// <summary>The host is shutting down.</summary>
    Stopped,
}
