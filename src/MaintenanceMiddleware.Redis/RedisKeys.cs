using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis;

/// <summary>
/// The keys and channel of one key prefix. The prefix sits in a hash tag (<c>{prefix}</c>), so on a Redis Cluster the
/// three keys share one slot and the save script can touch them all in one step.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    /// <summary>A hash: field = application name in lower case, value = the state as JSON.</summary>
    public RedisKey State { get; } = $"{{{prefix}}}:state";

    /// <summary>A hash: field = application name in lower case, value = the version (the optimistic-concurrency check).</summary>
    public RedisKey Version { get; } = $"{{{prefix}}}:version";

    /// <summary>A stream, newest last, trimmed to the retention: fields <c>application</c> (lower case) and <c>entry</c> (JSON).</summary>
    public RedisKey Audit { get; } = $"{{{prefix}}}:audit";

    /// <summary>The pub/sub channel every change is announced on (the message is the application name).</summary>
    public RedisChannel Channel { get; } = RedisChannel.Literal($"{{{prefix}}}:changed");

    /// <summary>The hash field of <paramref name="application"/>: names compare without regard to letter case, as in every store.</summary>
    public static RedisValue Field(string application) => application.ToLowerInvariant();
}
