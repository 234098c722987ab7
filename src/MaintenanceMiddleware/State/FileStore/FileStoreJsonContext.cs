using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>Source-generated (reflection-free, trimmable) JSON for the state file, indented for people who read it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StateFileDocument))]
internal sealed partial class FileStoreJsonContext : JsonSerializerContext;
