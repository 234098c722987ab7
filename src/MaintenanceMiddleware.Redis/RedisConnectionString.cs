using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis;

/// <summary>Parses a StackExchange.Redis configuration string for the store, and describes a bad one without its secrets.</summary>
internal static class RedisConnectionString
{
    /// <summary>Returns what is wrong with <paramref name="connectionString"/>, or <see langword="null"/> when it parses and names a server.</summary>
    public static string? Check(string connectionString)
    {
        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            return options.EndPoints.Count == 0 ? "it names no server (expected host:port, for example 'redis.internal:6379')." : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException or RedisException)
        {
            return Redact(ex.Message, connectionString);
        }
    }

    /// <summary>
    /// The options the store connects with: it never waits in a backlog (a switch fails at once while Redis is down,
    /// instead of being sent later), keeps reconnecting in the background, and under RESP3 shares one connection for
    /// commands and pub/sub unless the string says otherwise.
    /// </summary>
    public static ConfigurationOptions Parse(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        if (options.Protocol is null)
        {
            options.Protocol = RedisProtocol.Resp3;
            options.SharedSubscriptionConnection = true;
        }

        return options;
    }

    // The parser's message may quote a fragment of the string: blank out every password= / user= value it contains.
    private static string Redact(string message, string connectionString)
    {
        foreach (var part in connectionString.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq].Trim() is { } key
                && (key.Equals("password", StringComparison.OrdinalIgnoreCase) || key.Equals("user", StringComparison.OrdinalIgnoreCase))
                && part[(eq + 1)..] is { Length: > 0 } secret)
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
