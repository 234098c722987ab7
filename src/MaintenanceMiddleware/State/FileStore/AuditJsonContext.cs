using System.Text.Json.Serialization;

namespace MaintenanceMiddleware;

/// <summary>Source-generated JSON for the audit file: one compact entry per line.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(MaintenanceAuditEntry))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
