using System.Threading.Channels;
using MaintenanceMiddleware;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis;

/// <summary>Change detection: the subscription, reloads after a reconnect, the safety poll.</summary>
public sealed partial class RedisMaintenanceStateStore
{
    private static readonly TimeSpan s_initialRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_resubscribeWait = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    /// <remarks>
    /// Subscribes to the change channel, then reloads in full. Afterwards it calls <paramref name="onChanged"/> on every
    /// message; when a connection fails (so the caller sees the outage); once the connection and the subscription are
    /// back (a message sent while disconnected is lost, so the reload catches up); and every
    /// <see cref="RedisStoreOptions.PollInterval"/> without a message. Requests never cause a call to Redis.
    /// </remarks>
    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        return WatchChannelAsync(_keys.Channel, onChanged, cancellationToken);
    }

    // The watch of one channel (state changes, or instance reports): the subscription, reloads after a reconnect, the poll.
    private async Task WatchChannelAsync(RedisChannel channel, Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        var signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var restored = 0;
        void OnMessage(RedisChannel from, RedisValue message) => signal.Writer.TryWrite(true);
        void OnFailed(object? sender, ConnectionFailedEventArgs e) => signal.Writer.TryWrite(true);
        void OnRestored(object? sender, ConnectionFailedEventArgs e)
        {
            Volatile.Write(ref restored, 1);
            signal.Writer.TryWrite(true);
        }

        IConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var subscriber = connection.GetSubscriber();
        connection.ConnectionFailed += OnFailed;
        connection.ConnectionRestored += OnRestored;
        try
        {
            await SubscribeAsync(subscriber, channel, OnMessage, onChanged, signal.Reader, cancellationToken).ConfigureAwait(false);

            // A full reload now: changes made before the subscription was in place were never announced to it.
            await onChanged(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await WaitForSignalAsync(signal.Reader, _options.PollInterval, cancellationToken).ConfigureAwait(false);
                if (Interlocked.Exchange(ref restored, 0) == 1)
                {
                    await WaitForSubscriptionAsync(subscriber, channel, cancellationToken).ConfigureAwait(false);
                }

                await onChanged(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            connection.ConnectionFailed -= OnFailed;
            connection.ConnectionRestored -= OnRestored;
            try
            {
                await subscriber.UnsubscribeAsync(channel, OnMessage, CommandFlags.FireAndForget).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // The connection is gone; so is the subscription.
            }
        }
    }

    // Until the subscription is in place, retries with backoff, letting the caller read after each failure.
    private async Task SubscribeAsync(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler, Func<CancellationToken, Task> onChanged, ChannelReader<bool> signal, CancellationToken cancellationToken)
    {
        var delay = s_initialRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await subscriber.SubscribeAsync(channel, handler).WaitAsync(cancellationToken).ConfigureAwait(false);
                RedisLog.Subscribed(_logger, channel.ToString());
                return;
            }
            catch (Exception ex) when (IsRedisError(ex, cancellationToken))
            {
                if (attempt == 1)
                {
                    RedisLog.SubscribeFailed(_logger, attempt, delay, ex);
                }

                // While Redis is down this read fails and ends the watch (the monitor retries it); when only the
                // subscription fails (a missing permission), it keeps the state fresh until the subscription works.
                await onChanged(cancellationToken).ConfigureAwait(false);
            }

            await WaitForSignalAsync(signal, delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
        }
    }

    private async Task WaitForSignalAsync(ChannelReader<bool> signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var poll = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, poll.Token);
        try
        {
            await signal.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: the safety poll (or the next subscription attempt).
        }
    }

    // StackExchange.Redis restores subscriptions after it reconnects, just after it reports the connection restored:
    // reload only once the subscription is back, so that no change falls between the reload and the subscription.
    private async Task WaitForSubscriptionAsync(ISubscriber subscriber, RedisChannel channel, CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + s_resubscribeWait;
        while (!subscriber.IsConnected(channel) && _timeProvider.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Attach(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += LogConnectionFailed;
        connection.ConnectionRestored += LogConnectionRestored;
    }

    private void Detach(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed -= LogConnectionFailed;
        connection.ConnectionRestored -= LogConnectionRestored;
    }

    // One warning per outage; the reconnection attempts that follow are not logged again.
    private void LogConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.FailureType == ConnectionFailureType.AuthenticationFailure || IsAuthenticationFailure(e.Exception))
        {
            LogAuthenticationFailure(e.Exception);
        }
        else if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            RedisLog.ConnectionFailed(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?", e.FailureType.ToString(), e.Exception);
        }
    }

    // Logged once until a connection succeeds; without the exception, whose text names the connection but adds nothing.
    private void LogAuthenticationFailure(Exception? ex)
    {
        if (Interlocked.Exchange(ref _authenticationFailed, 1) == 0)
        {
            var endpoint = (ex as RedisConnectionException)?.Message.Split(' ').FirstOrDefault(w => w.Contains(':', StringComparison.Ordinal)) ?? "?";
            RedisLog.AuthenticationFailed(_logger, string.Join(", ", (_given ?? Volatile.Read(ref _owned))?.GetEndPoints().Select(p => p.ToString()) ?? [endpoint]));
        }
    }

    private void LogConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Volatile.Write(ref _authenticationFailed, 0);
        if (Interlocked.Exchange(ref _outage, 0) == 1)
        {
            RedisLog.ConnectionRestored(_logger, e.ConnectionType.ToString(), e.EndPoint?.ToString() ?? "?");
        }
    }
}
