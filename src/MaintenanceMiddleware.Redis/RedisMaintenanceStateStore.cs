using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis;

/// <summary>
/// Keeps maintenance state and its audit trail in Redis and pushes every change to all instances with pub/sub.
/// </summary>
/// <remarks>
/// A change is one server-side script: the version check, the audit entry (a stream trimmed to
/// <see cref="RedisStoreOptions.AuditRetention"/>), the state and the <c>PUBLISH</c>. Every instance subscribes,
/// reloads on each message, after every reconnect, and every <see cref="RedisStoreOptions.PollInterval"/> as a safety net.
/// </remarks>
public sealed partial class RedisMaintenanceStateStore : IMaintenanceStateStore, IAsyncDisposable, IDisposable
{
    private const int AuditPageSize = 200;

    private readonly IConnectionMultiplexer? _given;
    private readonly ConfigurationOptions? _configuration;
    private readonly RedisStoreOptions _options;
    private readonly RedisKeys _keys;
    private readonly ILogger<RedisMaintenanceStateStore> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _connectGate = new();
    private Task<IConnectionMultiplexer>? _connecting;
    private IConnectionMultiplexer? _owned;
    private int _outage;
    private int _authenticationFailed;
    private string? _unreadableLogged;

    /// <summary>Creates the store over <paramref name="connection"/>, which the caller owns and disposes.</summary>
    /// <exception cref="ArgumentException">The options are invalid (for example a key prefix with a space or a brace).</exception>
    public RedisMaintenanceStateStore(
        IConnectionMultiplexer connection,
        IOptions<RedisStoreOptions> options,
        ILogger<RedisMaintenanceStateStore> logger,
        TimeProvider timeProvider)
        : this(options, logger, timeProvider, requireConnectionString: false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _given = connection;
        Attach(connection);
    }

    /// <summary>
    /// Creates the store over its own connection to <see cref="RedisStoreOptions.ConnectionString"/>, opened on first use
    /// and disposed with the store. While Redis is unreachable every call fails at once and the connection keeps retrying.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (a missing or malformed connection string, a bad key prefix).</exception>
    public RedisMaintenanceStateStore(
        IOptions<RedisStoreOptions> options,
        ILogger<RedisMaintenanceStateStore> logger,
        TimeProvider timeProvider)
        : this(options, logger, timeProvider, requireConnectionString: true)
    {
        _configuration = RedisConnectionString.Parse(_options.ConnectionString!);
    }

    private RedisMaintenanceStateStore(IOptions<RedisStoreOptions> options, ILogger<RedisMaintenanceStateStore> logger, TimeProvider timeProvider, bool requireConnectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        var errors = _options.Validate(requireConnectionString);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _keys = new RedisKeys(_options.KeyPrefix);
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        HashEntry[] entries;
        try
        {
            var database = (await ConnectionAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
            entries = await database.HashGetAllAsync(_keys.State).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance state could not be read from Redis"), ex);
        }

        var states = new List<MaintenanceState>(entries.Length);
        foreach (var entry in entries)
        {
            states.Add(Parse(entry.Value, MaintenanceStoreJson.State, $"hash '{_keys.State}', field '{entry.Name}'"));
        }

        Volatile.Write(ref _unreadableLogged, null);
        return states;
    }

    /// <inheritdoc />
    public async Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(auditEntry);
        RedisValue[] arguments =
        [
            RedisKeys.Field(state.Application),
            expectedVersion,
            state.Version,
            JsonSerializer.Serialize(state, MaintenanceStoreJson.State),
            JsonSerializer.Serialize(auditEntry, MaintenanceStoreJson.AuditEntry),
            _options.AuditRetention,
            _keys.Channel.ToString(),
            state.Application,
        ];

        RedisResult[] result;
        try
        {
            var database = (await ConnectionAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();

            // Not cancelled half-way on purpose: once sent, the script runs whole or not at all, and its answer tells which.
            result = (RedisResult[])(await database.ScriptEvaluateAsync(RedisScripts.Save, [_keys.State, _keys.Version, _keys.Audit], arguments).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (IsRedisError(ex, cancellationToken))
        {
            var outcome = ex is RedisTimeoutException || (ex is RedisConnectionException { CommandStatus: CommandStatus.Sent })
                ? "the connection failed after the change was sent, so it may or may not have been written: check the status and the audit trail before retrying"
                : "nothing was written";
            RedisLog.SaveFailed(_logger, state.Application, outcome, ex);
            throw new MaintenanceStoreException(Describe(ex, $"The maintenance state of '{state.Application}' could not be written to Redis; {outcome}"), ex);
        }

        if ((long)result[0] == 0)
        {
            throw new MaintenanceConflictException(state.Application, expectedVersion, (long)result[1]);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var entries = new List<MaintenanceAuditEntry>();
        if (limit <= 0)
        {
            return entries;
        }

        RedisValue? field = application is null ? (RedisValue?)null : RedisKeys.Field(application);
        var pageSize = application is null ? Math.Min(limit, AuditPageSize) : AuditPageSize;
        RedisValue? before = null;
        try
        {
            var database = (await ConnectionAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
            while (true)
            {
                // Newest first, one page at a time; "(id" (exclusive) continues below the last entry of the page before.
                var page = await database.StreamRangeAsync(_keys.Audit, minId: "-", maxId: before ?? "+", count: pageSize, messageOrder: Order.Descending)
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
                foreach (var item in page)
                {
                    if (field is { } wanted && item["application"] != wanted)
                    {
                        continue;
                    }

                    entries.Add(Parse(item["entry"], MaintenanceStoreJson.AuditEntry, $"stream '{_keys.Audit}', entry {item.Id}"));
                    if (entries.Count == limit)
                    {
                        return entries;
                    }
                }

                if (page.Length < pageSize)
                {
                    return entries;
                }

                before = "(" + page[^1].Id;
            }
        }
        catch (Exception ex) when (IsRedisError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The maintenance audit trail could not be read from Redis"), ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? connecting;
        lock (_connectGate)
        {
            connecting = _connecting;
            _connecting = Task.FromException<IConnectionMultiplexer>(new ObjectDisposedException(nameof(RedisMaintenanceStateStore)));
        }

        if (connecting is not null)
        {
            // A connection still being opened is closed as soon as it is there.
            await ((Task)connecting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var owned = Interlocked.Exchange(ref _owned, null);
        if (owned is not null)
        {
            Detach(owned);
            await owned.DisposeAsync().ConfigureAwait(false);
        }
        else if (_given is not null)
        {
            Detach(_given);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<IConnectionMultiplexer> ConnectionAsync(CancellationToken cancellationToken)
    {
        if ((_given ?? Volatile.Read(ref _owned)) is { } connection)
        {
            return connection;
        }

        Task<IConnectionMultiplexer> connecting;
        lock (_connectGate)
        {
            connecting = _connecting ??= ConnectAsync();
        }

        // The caller's wait ends with its token (a start-up timeout); the connection attempt goes on and is kept.
        return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        try
        {
            // abortConnect=false: returns even while Redis is down, and reconnects in the background from then on.
            var opened = await ConnectionMultiplexer.ConnectAsync(_configuration!.Clone()).ConfigureAwait(false);
            Attach(opened);
            Volatile.Write(ref _owned, opened);
            return opened;
        }
        catch
        {
            lock (_connectGate)
            {
                _connecting = null;
            }

            throw;
        }
    }

    private T Parse<T>(RedisValue value, JsonTypeInfo<T> shape, string location)
        where T : class
    {
        try
        {
            return (value.IsNull ? null : JsonSerializer.Deserialize(value.ToString(), shape)) ?? throw new JsonException("The value is empty or null.");
        }
        catch (JsonException ex)
        {
            // The monitor retries every few seconds while the value stays bad: one error per value, not one per retry.
            if (Interlocked.Exchange(ref _unreadableLogged, location) != location)
            {
                RedisLog.ValueUnreadable(_logger, location, ex);
            }

            throw new MaintenanceStoreException($"A value stored in Redis does not parse ({location}): {ex.Message} Repair or delete it in Redis (HDEL for a state, XDEL for an audit entry).", ex);
        }
    }
}
