using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>The content of the state file: a format version and the state of every application that has one.</summary>
internal sealed class StateFileDocument
{
    /// <summary>The format version this code reads and writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The format version of the file (not the state version, which each application carries).</summary>
    [JsonRequired]
    public int Version { get; set; } = CurrentFormatVersion;

    /// <summary>The states by application name (<c>*</c> for the whole environment).</summary>
    [JsonRequired]
    public Dictionary<string, MaintenanceState> Applications { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
