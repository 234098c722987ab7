using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis;

/// <summary>What Redis errors mean to an operator.</summary>
public sealed partial class RedisMaintenanceStateStore
{
    // Everything Redis or the network can throw, but not the caller's own cancellation.
    private static bool IsRedisError(Exception ex, CancellationToken cancellationToken) =>
        ex is RedisException or TimeoutException or InvalidCastException or ObjectDisposedException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private string Describe(Exception ex, string what)
    {
        var message = ex.Message;
        if (IsAuthenticationFailure(ex))
        {
            LogAuthenticationFailure(ex);
        }

        return ex switch
        {
            RedisServerException when message.StartsWith("READONLY", StringComparison.Ordinal) =>
                $"{what}: the Redis server is a read-only replica. Point {RedisStoreOptions.ConnectionStringKey} at the primary. ({message})",
            RedisServerException when message.StartsWith("NOPERM", StringComparison.Ordinal) =>
                $"{what}: the Redis user lacks a permission; it needs EVAL (with the commands its scripts run: TYPE, TIME, HGET, HGETALL, HSET, HDEL, XADD, ZADD, ZREM, ZRANGEBYSCORE, PUBLISH), HGETALL, XREVRANGE and SUBSCRIBE on keys and channels '{{{_options.KeyPrefix}}}:*'. ({message})",
            RedisServerException when message.StartsWith("WRONGTYPE", StringComparison.Ordinal) || message.StartsWith("BADVERSION", StringComparison.Ordinal) =>
                $"{what}: a key of the store holds something else; is another program using the prefix '{_options.KeyPrefix}'? ({message})",
            RedisServerException when message.StartsWith("OOM", StringComparison.Ordinal) =>
                $"{what}: Redis is out of memory (maxmemory). ({message})",
            _ when IsAuthenticationFailure(ex) =>
                $"{what}: Redis refused the credentials; check the user and password in {RedisStoreOptions.ConnectionStringKey}.",
            RedisConnectionException or RedisTimeoutException or TimeoutException when OnlyReplicasReachable() =>
                $"{what}: only a read-only replica is reachable. Point {RedisStoreOptions.ConnectionStringKey} at the primary. ({message})",
            _ => $"{what}: {message}",
        };
    }

    // The failure of the command wraps the failure of the connection, which says why (NOAUTH, WRONGPASS).
    private static bool IsAuthenticationFailure(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure }
                || ex.Message.Contains("NOAUTH", StringComparison.Ordinal) || ex.Message.Contains("WRONGPASS", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private bool OnlyReplicasReachable()
    {
        var connection = _given ?? Volatile.Read(ref _owned);
        if (connection is null)
        {
            return false;
        }

        var servers = connection.GetServers();
        return servers.Length > 0 && servers.All(s => s.IsConnected && s.IsReplica);
    }
}
