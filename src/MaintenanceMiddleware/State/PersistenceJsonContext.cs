using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>
/// The one source-generated (reflection-free, trimmable) JSON context of persisted data, shared by every store:
/// camelCase, compact, case-insensitive on read. Store packages reach it through <see cref="MaintenanceStoreJson"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MaintenanceState))]
[JsonSerializable(typeof(MaintenanceAuditEntry))]
[JsonSerializable(typeof(StateFileDocument))]
[JsonSerializable(typeof(MaintenanceInstanceReport))]
internal sealed partial class PersistenceJsonContext : JsonSerializerContext;
