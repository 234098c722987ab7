using System.Text.Json;
using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>Source-generated JSON for the endpoints (no reflection; trimming-friendly). Unknown body fields are refused, so a typo is an error.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(EnableMaintenanceBody))]
[JsonSerializable(typeof(DisableMaintenanceBody))]
[JsonSerializable(typeof(MaintenanceStatus))]
[JsonSerializable(typeof(MaintenanceState))]
[JsonSerializable(typeof(IReadOnlyList<MaintenanceAuditEntry>))]
internal sealed partial class MaintenanceEndpointsJsonContext : JsonSerializerContext;
