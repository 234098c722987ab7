using System.Text.Json.Serialization.Metadata;

namespace MaintenanceMiddleware;

/// <summary>
/// The JSON shape in which stores persist state and audit entries, for store authors: pass these to
/// <see cref="System.Text.Json.JsonSerializer"/> so that every store writes the same documents (camelCase, compact,
/// source-generated, no reflection).
/// </summary>
public static class MaintenanceStoreJson
{
    /// <summary>The persisted form of a <see cref="MaintenanceState"/>.</summary>
    public static JsonTypeInfo<MaintenanceState> State => PersistenceJsonContext.Default.MaintenanceState;

    /// <summary>The persisted form of a <see cref="MaintenanceAuditEntry"/>.</summary>
    public static JsonTypeInfo<MaintenanceAuditEntry> AuditEntry => PersistenceJsonContext.Default.MaintenanceAuditEntry;

    /// <summary>The persisted form of a <see cref="MaintenanceInstanceReport"/>.</summary>
    public static JsonTypeInfo<MaintenanceInstanceReport> InstanceReport => PersistenceJsonContext.Default.MaintenanceInstanceReport;
}
