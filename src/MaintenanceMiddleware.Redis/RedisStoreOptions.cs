using System.Text.RegularExpressions;

namespace MaintenanceMiddleware.Redis;

/// <summary>Options of the Redis state store, bound from <c>MaintenanceMode:Redis</c>.</summary>
public sealed partial class RedisStoreOptions
{
    /// <summary>The configuration section, relative to <c>MaintenanceMode</c>.</summary>
    public const string SectionName = "Redis";

    /// <summary>The full configuration key of the connection string.</summary>
    public const string ConnectionStringKey = "MaintenanceMode:Redis:ConnectionString";

    /// <summary>
    /// The StackExchange.Redis configuration string, for example <c>redis.internal:6379,password=...</c>
    /// (<c>MaintenanceMode:Redis:ConnectionString</c>, or the environment variable <c>MaintenanceMode__Redis__ConnectionString</c>).
    /// Not needed when the store uses an <c>IConnectionMultiplexer</c> the application registered.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The prefix of every key and of the channel (<c>MaintenanceMode:Redis:KeyPrefix</c>), so several environments can
    /// share one Redis: keys are <c>{prefix}:state</c>, <c>{prefix}:version</c>, <c>{prefix}:audit</c> (the braces are a
    /// cluster hash tag, which keeps them on one shard for the atomic script), the channel <c>{prefix}:changed</c>.
    /// Letters, digits and <c>_ - . : /</c>, at most 64 characters. Default <c>maintenance</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "maintenance";

    /// <summary>
    /// How many audit entries the audit stream keeps (<c>MaintenanceMode:Redis:AuditRetention</c>); each change trims the
    /// oldest beyond this (<c>XADD ... MAXLEN</c>). Default 10000, at most 10,000,000.
    /// </summary>
    public int AuditRetention { get; set; } = 10_000;

    /// <summary>
    /// The safety poll (<c>MaintenanceMode:Redis:PollInterval</c>): without a notification, the state is re-read this
    /// often, which also proves the connection is alive. Changes normally arrive by pub/sub within milliseconds. Default 30 seconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns the problems of these options (empty when valid), each naming its configuration key; never echoes a password.</summary>
    internal List<string> Validate(bool requireConnectionString)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (requireConnectionString)
            {
                errors.Add($"The Redis connection string is missing: set '{ConnectionStringKey}' (environment variable 'MaintenanceMode__Redis__ConnectionString'), pass it to UseRedis(...), or register an IConnectionMultiplexer.");
            }
        }
        else if (RedisConnectionString.Check(ConnectionString) is { } problem)
        {
            errors.Add($"'{ConnectionStringKey}' is not a valid Redis connection string: {problem}");
        }

        if (KeyPrefix is null || !KeyPrefixPattern().IsMatch(KeyPrefix))
        {
            errors.Add($"'MaintenanceMode:Redis:{nameof(KeyPrefix)}' must be 1-64 letters, digits or '_', '-', '.', ':', '/' (no spaces, braces, wildcards or control characters); was '{Printable(KeyPrefix)}'.");
        }

        if (AuditRetention is < 1 or > 10_000_000)
        {
            errors.Add($"'MaintenanceMode:Redis:{nameof(AuditRetention)}' must be between 1 and 10000000 (was {AuditRetention}).");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"'MaintenanceMode:Redis:{nameof(PollInterval)}' must be positive (was {PollInterval}).");
        }

        return errors;
    }

    // A value with a control character is shown escaped, so the message itself stays one readable line.
    internal static string Printable(string? value) =>
        value is null ? "(null)" : string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPrefixPattern();
}
