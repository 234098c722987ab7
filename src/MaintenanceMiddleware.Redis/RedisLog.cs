using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Redis;

/// <summary>Logs of the Redis state store (event ids 120-139).</summary>
internal static partial class RedisLog
{
    [LoggerMessage(120, LogLevel.Debug, "Subscribed to maintenance changes on channel '{Channel}'.", EventName = "RedisSubscribed")]
    public static partial void Subscribed(ILogger logger, string channel);

    [LoggerMessage(121, LogLevel.Warning, "The Redis connection ({ConnectionType}, {Endpoint}) failed ({FailureType}); keeping the last known state and reconnecting.", EventName = "RedisConnectionFailed")]
    public static partial void ConnectionFailed(ILogger logger, string connectionType, string endpoint, string failureType, Exception? exception);

    [LoggerMessage(122, LogLevel.Information, "The Redis connection ({ConnectionType}, {Endpoint}) is back; reloading the full state.", EventName = "RedisConnectionRestored")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType, string endpoint);

    [LoggerMessage(123, LogLevel.Error, "Redis refused the credentials of the maintenance store ({Endpoint}): check the user and password in MaintenanceMode:Redis:ConnectionString.", EventName = "RedisAuthenticationFailed")]
    public static partial void AuthenticationFailed(ILogger logger, string endpoint);

    [LoggerMessage(124, LogLevel.Error, "Writing the maintenance state of '{Application}' to Redis failed: {Outcome}.", EventName = "RedisSaveFailed")]
    public static partial void SaveFailed(ILogger logger, string application, string outcome, Exception exception);

    [LoggerMessage(125, LogLevel.Error, "A value stored in Redis does not parse ({Location}); keeping the last known state.", EventName = "RedisValueUnreadable")]
    public static partial void ValueUnreadable(ILogger logger, string location, Exception exception);

    [LoggerMessage(126, LogLevel.Warning, "Subscribing to maintenance changes on Redis failed (attempt {Attempt}); retrying in {Delay}.", EventName = "RedisSubscribeFailed")]
    public static partial void SubscribeFailed(ILogger logger, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(127, LogLevel.Information, "Deleted {Count} instance reports from '{Key}' whose last heartbeat was more than {Intervals} heartbeat intervals ago.", EventName = "RedisInstancesPruned")]
    public static partial void InstancesPruned(ILogger logger, long count, string key, int intervals);

    [LoggerMessage(128, LogLevel.Warning, "An instance report stored in Redis is unreadable and ignored: {Problem}.", EventName = "RedisInstanceUnreadable")]
    public static partial void InstanceUnreadable(ILogger logger, string problem);
}
