namespace MaintenanceMiddleware.Redis;

/// <summary>The server-side scripts of the store. A script runs atomically: no other command runs between its steps.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// The one step of a change: checks the version, appends the audit entry (trimmed to the retention), writes the
    /// state and its version, and publishes the change. Every check that could fail runs before the first write, so a
    /// refused change writes nothing. Returns <c>{1, new version}</c>, or <c>{0, actual version}</c> on a conflict.
    /// </summary>
    /// <remarks>
    /// KEYS: state hash, version hash, audit stream. ARGV: field, expected version, new version, state JSON, audit JSON,
    /// retention, channel, application name.
    /// </remarks>
    public const string Save = """
        for i = 1, 3 do
          local t = redis.call('TYPE', KEYS[i])['ok']
          local want = (i == 3) and 'stream' or 'hash'
          if t ~= 'none' and t ~= want then
            return redis.error_reply('WRONGTYPE maintenance key ' .. KEYS[i] .. ' holds a ' .. t .. ', expected a ' .. want)
          end
        end
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        local actual = 0
        if current then
          actual = tonumber(current)
          if actual == nil then
            return redis.error_reply('BADVERSION maintenance version of ' .. ARGV[1] .. ' in ' .. KEYS[2] .. ' is not a number')
          end
        end
        if actual ~= tonumber(ARGV[2]) then
          return {0, actual}
        end
        redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[6], '*', 'application', ARGV[1], 'entry', ARGV[5])
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        redis.call('PUBLISH', ARGV[7], ARGV[8])
        return {1, tonumber(ARGV[3])}
        """;
}
