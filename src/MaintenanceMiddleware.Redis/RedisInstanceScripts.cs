namespace MaintenanceMiddleware.Redis;

/// <summary>
/// The server-side scripts of the instance registry. Each runs atomically and reads the server's clock (<c>TIME</c>),
/// so heartbeats and the list's time come from one clock, whatever the instances' clocks say.
/// </summary>
/// <remarks>KEYS of every script: the reports hash, the heartbeats hash, the expiry sorted set.</remarks>
internal static class RedisInstanceScripts
{
    // Every check that could fail runs before the first write, so a refused call writes nothing: the key types, and
    // (Redis 7 and later, redis.acl_check_cmd) whether the user may run each write, which Redis checks only per command.
    private const string Checks = """
        local function refused(commands)
          if redis.acl_check_cmd then
            for _, c in ipairs(commands) do
              if not redis.acl_check_cmd(unpack(c)) then
                return redis.error_reply('NOPERM the Redis user may not run ' .. c[1] .. ' on ' .. c[2])
              end
            end
          end
          return nil
        end
        for i = 1, 3 do
          local t = redis.call('TYPE', KEYS[i])['ok']
          local want = (i == 3) and 'zset' or 'hash'
          if t ~= 'none' and t ~= want then
            return redis.error_reply('WRONGTYPE maintenance key ' .. KEYS[i] .. ' holds a ' .. t .. ', expected a ' .. want)
          end
        end
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

        """;

    /// <summary>
    /// A report: prunes the reports whose expiry has passed, writes the report, stamps its heartbeat with the server's
    /// time, sets its expiry and publishes. Prunes at most 500 reports per call, so that one call stays short; the next
    /// report prunes the rest. Returns <c>{now in Unix ms, pruned}</c>.
    /// </summary>
    /// <remarks>ARGV: instance id, report JSON, how long the report outlives its last heartbeat (ms), channel.</remarks>
    public const string Report = Checks + """
        local no = refused({{'HSET', KEYS[1], 'f', 'v'}, {'HDEL', KEYS[1], 'f'}, {'HSET', KEYS[2], 'f', 'v'}, {'HDEL', KEYS[2], 'f'},
          {'ZADD', KEYS[3], '0', 'm'}, {'ZREM', KEYS[3], 'm'}, {'PUBLISH', ARGV[4], 'm'}})
        if no then
          return no
        end
        local dead = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. string.format('%d', now), 'LIMIT', 0, 500)
        for _, id in ipairs(dead) do
          redis.call('HDEL', KEYS[1], id)
          redis.call('HDEL', KEYS[2], id)
          redis.call('ZREM', KEYS[3], id)
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], string.format('%d', now))
        redis.call('ZADD', KEYS[3], string.format('%d', now + tonumber(ARGV[3])), ARGV[1])
        redis.call('PUBLISH', ARGV[4], ARGV[1])
        return {now, #dead}
        """;

    /// <summary>
    /// A clean stop: removes the report only when its stored session is the caller's (a newer process that took the id
    /// over keeps its report; an unreadable report is left to the prune). Returns <c>1</c> when removed, else <c>0</c>.
    /// </summary>
    /// <remarks>ARGV: instance id, session id, channel.</remarks>
    public const string Remove = Checks + """
        local no = refused({{'HDEL', KEYS[1], 'f'}, {'HDEL', KEYS[2], 'f'}, {'ZREM', KEYS[3], 'm'}, {'PUBLISH', ARGV[3], 'm'}})
        if no then
          return no
        end
        local stored = redis.call('HGET', KEYS[1], ARGV[1])
        if not stored then
          return 0
        end
        local ok, report = pcall(cjson.decode, stored)
        if not ok or type(report) ~= 'table' or report['sessionId'] ~= ARGV[2] then
          return 0
        end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// The list: the server's time (<c>{seconds, microseconds}</c>), every report and every heartbeat, read in one step.
    /// Writes nothing, so it also runs on a read-only replica.
    /// </summary>
    public const string Read = """
        local clock = redis.call('TIME')
        return {clock[1], clock[2], redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
        """;
}
