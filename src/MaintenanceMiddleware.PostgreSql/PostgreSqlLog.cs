using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Logs of the PostgreSQL state store (event ids 100-119).</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(100, LogLevel.Debug, "Listening for maintenance changes on channel '{Channel}'.", EventName = "PostgreSqlListening")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(101, LogLevel.Warning, "The PostgreSQL connection that listens for maintenance changes failed; keeping the last known state and reconnecting in {Delay}.", EventName = "PostgreSqlListenFailed")]
    public static partial void ListenFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(105, LogLevel.Debug, "Reconnecting to PostgreSQL failed again (attempt {Attempt}); next attempt in {Delay}.", EventName = "PostgreSqlListenRetryFailed")]
    public static partial void ListenRetryFailed(ILogger logger, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(102, LogLevel.Information, "Listening for maintenance changes again after {Attempts} failed attempt(s); reloading the full state.", EventName = "PostgreSqlListenRestored")]
    public static partial void ListenRestored(ILogger logger, int attempts);

    [LoggerMessage(103, LogLevel.Information, "Maintenance tables ready in schema '{Schema}' ({StateTable}, {AuditTable}, {InstancesTable}).", EventName = "PostgreSqlSchemaReady")]
    public static partial void SchemaReady(ILogger logger, string schema, string stateTable, string auditTable, string instancesTable);

    [LoggerMessage(104, LogLevel.Error, "Writing the maintenance state of '{Application}' to PostgreSQL failed; nothing was written.", EventName = "PostgreSqlSaveFailed")]
    public static partial void SaveFailed(ILogger logger, string application, Exception exception);
}
