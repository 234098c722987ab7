using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MaintenanceMiddleware;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis;

/// <summary>
/// The instance registry over the same Redis: reports in the hash <c>{prefix}:instances</c> (field = instance id,
/// value = JSON), heartbeats in <c>{prefix}:instances:beat</c> stamped with the server's <c>TIME</c>, and every report
/// and removal announced on <c>{prefix}:instances:changed</c>.
/// </summary>
/// <remarks>
/// Reports of instances that are long gone do not pile up: a report outlives its last heartbeat by
/// <see cref="PruneAfterHeartbeats"/> heartbeat intervals (at least one second, at most a year), tracked in the sorted
/// set <c>{prefix}:instances:expiry</c>, and every report of any instance first deletes the reports past that point.
/// Until then a gone instance is listed, but not live.
/// </remarks>
public sealed partial class RedisMaintenanceStateStore : IMaintenanceInstanceRegistry
{
    /// <summary>How many heartbeat intervals a report outlives its last heartbeat before the next report of any instance deletes it.</summary>
    internal const int PruneAfterHeartbeats = 10;

    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    private static readonly TimeSpan s_minimumRetention = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maximumRetention = TimeSpan.FromDays(365);

    private string? _unreadableInstancesLogged;

    /// <inheritdoc />
    /// <remarks>One script: prunes expired reports, writes this one, stamps its heartbeat with the server's time and publishes.</remarks>
    public async Task ReportAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        RedisValue[] arguments =
        [
            report.InstanceId,
            JsonSerializer.Serialize(report, MaintenanceStoreJson.InstanceReport),
            (long)RetentionOf(report.HeartbeatInterval).TotalMilliseconds,
            _keys.InstancesChannel.ToString(),
        ];

        RedisResult[] result;
        try
        {
            var database = (await ConnectionAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
            result = (RedisResult[])(await database.ScriptEvaluateAsync(RedisInstanceScripts.Report, InstanceKeys, arguments)
                .WaitAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (IsRedisError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, $"The report of instance '{report.InstanceId}' could not be written to Redis"), ex);
        }

        if ((long)result[1] is var pruned and > 0)
        {
            RedisLog.InstancesPruned(_logger, pruned, _keys.Instances.ToString(), PruneAfterHeartbeats);
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(sessionId);
        try
        {
            var database = (await ConnectionAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
            await database.ScriptEvaluateAsync(RedisInstanceScripts.Remove, InstanceKeys, [instanceId, sessionId, _keys.InstancesChannel.ToString()])
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, $"The report of instance '{instanceId}' could not be removed from Redis"), ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One read-only script returns the server's time (<see cref="MaintenanceInstanceList.AsOf"/>), the reports and
    /// their heartbeats together. A report that does not parse, names another instance or has no heartbeat is listed in
    /// <see cref="MaintenanceInstanceList.Unreadable"/> (and logged once), never thrown.
    /// </remarks>
    public async Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default)
    {
        RedisResult[] result;
        try
        {
            var database = (await ConnectionAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
            result = (RedisResult[])(await database.ScriptEvaluateAsync(RedisInstanceScripts.Read, InstanceKeys)
                .WaitAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (IsRedisError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The instance reports could not be read from Redis"), ex);
        }

        var asOf = DateTimeOffset.FromUnixTimeSeconds((long)result[0]).AddTicks((long)result[1] * (TimeSpan.TicksPerMillisecond / 1000));
        var reports = Pairs((RedisResult[])result[2]!);
        var beats = Pairs((RedisResult[])result[3]!).ToDictionary(p => p.Field, p => p.Value, StringComparer.Ordinal);
        var instances = new List<MaintenanceInstanceReport>(reports.Count);
        var unreadable = new List<string>();
        foreach (var (id, value) in reports)
        {
            if (TryReadReport(id, value, beats.GetValueOrDefault(id), out var report, out var problem))
            {
                instances.Add(report);
            }
            else
            {
                unreadable.Add($"instance '{RedisStoreOptions.Printable(id)}': {problem} (hash '{_keys.Instances}'); ignored, delete it with HDEL");
            }
        }

        LogUnreadable(unreadable);
        instances.Sort((a, b) => string.CompareOrdinal(a.InstanceId, b.InstanceId));
        return new MaintenanceInstanceList { AsOf = asOf, Instances = instances, Unreadable = unreadable };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Subscribes to <c>{prefix}:instances:changed</c>, then calls <paramref name="onChanged"/> once, on every message,
    /// when the connection fails, once the connection and the subscription are back, and every
    /// <see cref="RedisStoreOptions.PollInterval"/> without a message. A failed <paramref name="onChanged"/> ends the watch with its exception.
    /// </remarks>
    public Task WatchInstancesAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        return WatchChannelAsync(_keys.InstancesChannel, onChanged, cancellationToken);
    }

    private RedisKey[] InstanceKeys => [_keys.Instances, _keys.InstanceBeats, _keys.InstanceExpiry];

    private static TimeSpan RetentionOf(TimeSpan heartbeatInterval)
    {
        var ticks = Math.Clamp(heartbeatInterval.Ticks * (double)PruneAfterHeartbeats, s_minimumRetention.Ticks, s_maximumRetention.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private bool TryReadReport(string id, RedisValue value, RedisValue beat, [NotNullWhen(true)] out MaintenanceInstanceReport? report, [NotNullWhen(false)] out string? problem)
    {
        report = null;
        MaintenanceInstanceReport? read;
        try
        {
            read = value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((byte[])value!, MaintenanceStoreJson.InstanceReport);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            problem = $"the report does not parse: {RedisStoreOptions.Printable(ex.Message)}";
            return false;
        }

        if (read is null)
        {
            problem = "the report is empty or null";
            return false;
        }

        if (!read.TryValidate(out var unusable))
        {
            problem = $"the report is not usable ({unusable})";
            return false;
        }

        if (!string.Equals(read.InstanceId, id, StringComparison.Ordinal))
        {
            problem = $"the report names another instance ('{RedisStoreOptions.Printable(read.InstanceId)}')";
            return false;
        }

        if (beat.IsNullOrEmpty || !beat.TryParse(out long milliseconds) || milliseconds is < 0 or > MaxUnixMilliseconds)
        {
            problem = $"it has no readable heartbeat time in hash '{_keys.InstanceBeats}'";
            return false;
        }

        problem = null;
        report = read with { LastHeartbeat = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) };
        return true;
    }

    // One warning per set of unreadable reports: waiters read the list often while it stays the same.
    private void LogUnreadable(List<string> unreadable)
    {
        var key = unreadable.Count == 0 ? null : string.Join("\n", unreadable);
        if (key is not null && Interlocked.Exchange(ref _unreadableInstancesLogged, key) != key)
        {
            foreach (var problem in unreadable)
            {
                RedisLog.InstanceUnreadable(_logger, problem);
            }
        }
        else if (key is null)
        {
            Volatile.Write(ref _unreadableInstancesLogged, null);
        }
    }

    private static List<(string Field, RedisValue Value)> Pairs(RedisResult[] flat)
    {
        var pairs = new List<(string, RedisValue)>(flat.Length / 2);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            pairs.Add(((string)flat[i]!, (RedisValue)flat[i + 1]));
        }

        return pairs;
    }
}
