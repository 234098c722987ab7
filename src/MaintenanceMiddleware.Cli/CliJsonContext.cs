using System.Text.Json;
using System.Text.Json.Serialization;

namespace MaintenanceMiddleware.Cli;

/// <summary>Source-generated JSON for <c>--json</c> output (indented). The HTTP target speaks the endpoints' own context.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MaintenanceStatus))]
[JsonSerializable(typeof(MaintenanceState))]
[JsonSerializable(typeof(IReadOnlyList<MaintenanceAuditEntry>))]
[JsonSerializable(typeof(ApiKeyHashOutput))]
[JsonSerializable(typeof(MaintenanceBypassLinkCreated))]
[JsonSerializable(typeof(MaintenanceBypassLink))]
[JsonSerializable(typeof(IReadOnlyList<MaintenanceBypassLink>))]
[JsonSerializable(typeof(MaintenanceSwitchResult))]
[JsonSerializable(typeof(MaintenanceInstanceList))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
