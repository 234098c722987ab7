using System.Text.Json;
using System.Text.Json.Serialization;
using MaintenanceMiddleware.Cli.Targets;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli;

/// <summary>Source-generated JSON for <c>--json</c> output and the HTTP target.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MaintenanceStatus))]
[JsonSerializable(typeof(MaintenanceState))]
[JsonSerializable(typeof(IReadOnlyList<MaintenanceAuditEntry>))]
[JsonSerializable(typeof(HttpEnableBody))]
[JsonSerializable(typeof(HttpDisableBody))]
[JsonSerializable(typeof(HttpProblem))]
[JsonSerializable(typeof(ApiKeyHashOutput))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
