using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// The wire contract of the endpoints, source-generated (no reflection; trimming-friendly): request bodies, answers
/// and errors (<see cref="HttpValidationProblemDetails"/>, field to messages). The <c>maintenance</c> CLI's HTTP target
/// uses this same context. Unknown body fields are refused, so a typo is an error.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(EnableMaintenanceBody))]
[JsonSerializable(typeof(DisableMaintenanceBody))]
[JsonSerializable(typeof(MaintenanceStatus))]
[JsonSerializable(typeof(MaintenanceState))]
[JsonSerializable(typeof(IReadOnlyList<MaintenanceAuditEntry>))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(CreateBypassLinkBody))]
[JsonSerializable(typeof(RevokeBypassLinkBody))]
[JsonSerializable(typeof(MaintenanceBypassLinkCreated))]
[JsonSerializable(typeof(MaintenanceBypassLink))]
[JsonSerializable(typeof(IReadOnlyList<MaintenanceBypassLink>))]
[JsonSerializable(typeof(MaintenanceSwitchResult))]
[JsonSerializable(typeof(MaintenanceInstanceList))]
internal sealed partial class MaintenanceEndpointsJsonContext : JsonSerializerContext;
