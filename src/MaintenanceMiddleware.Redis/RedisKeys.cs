using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis;

/// <summary>
/// The keys and channel of one key prefix. The prefix sits in a hash tag (<c>{prefix}</c>), so on a Redis Cluster the
/// keys share one slot and each script can touch all the keys it needs in one step.
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

    /// <summary>A hash: field = instance id (as given, case-sensitive), value = the instance's report as JSON (<see cref="MaintenanceStoreJson.InstanceReport"/>).</summary>
    public RedisKey Instances { get; } = $"{{{prefix}}}:instances";

    /// <summary>A hash: field = instance id, value = the server's time (Unix milliseconds, from <c>TIME</c>) of its last report.</summary>
    public RedisKey InstanceBeats { get; } = $"{{{prefix}}}:instances:beat";

    /// <summary>A sorted set: member = instance id, score = the server's time (Unix milliseconds) after which its report is pruned.</summary>
    public RedisKey InstanceExpiry { get; } = $"{{{prefix}}}:instances:expiry";

    /// <summary>The pub/sub channel every instance report and removal is announced on (the message is the instance id).</summary>
    public RedisChannel InstancesChannel { get; } = RedisChannel.Literal($"{{{prefix}}}:instances:changed");

    /// <summary>The hash field of <paramref name="application"/>: names compare without regard to letter case, as in every store.</summary>
    public static RedisValue Field(string application) => application.ToLowerInvariant();
}
