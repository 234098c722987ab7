using Microsoft.Extensions.Logging;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// The <c>LISTEN</c> connection of one instance: reports every notification, reloads in full after each (re)connect,
/// reconnects with doubling delays up to <see cref="PostgreSqlStoreOptions.MaxReconnectDelay"/>, and reports once
/// every <see cref="PostgreSqlStoreOptions.PollInterval"/> without a notification as a safety net. Between those it
/// sends nothing: an idle instance issues no query. The connection is lent to the store's reads
/// (<see cref="PostgreSqlSharedConnection"/>), so the reload the caller runs goes over it too. One listener per channel:
/// state changes (<see cref="PostgreSqlStoreOptions.ChannelName"/>) and instance reports
/// (<see cref="PostgreSqlStoreOptions.InstancesChannelName"/>), each on a connection of its own.
/// </summary>
internal sealed class PostgreSqlChangeListener(
    string channel,
    PostgreSqlStoreOptions options,
    PostgreSqlConnections connections,
    PostgreSqlSharedConnection shared,
    ILogger logger,
    TimeProvider timeProvider)
{
    private static readonly TimeSpan s_initialReconnectDelay = TimeSpan.FromMilliseconds(100);

    public async Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        var delay = s_initialReconnectDelay;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var listened = false;
            NpgsqlConnection? connection = null;
            try
            {
                connection = await connections.OpenListeningConnectionAsync(cancellationToken).ConfigureAwait(false);
                await PostgreSqlConnections.ExecuteAsync(connection, $"LISTEN {PostgreSqlSchema.Quote(channel)}", cancellationToken).ConfigureAwait(false);
                shared.Attach(connection);
                listened = true;
                PostgreSqlLog.Listening(logger, channel);
                if (failures > 0)
                {
                    PostgreSqlLog.ListenRestored(logger, failures);
                }

                failures = 0;
                delay = s_initialReconnectDelay;

                // A full reload now: notifications sent while this instance was not listening are lost.
                await onChanged(cancellationToken).ConfigureAwait(false);
                var nextPoll = timeProvider.GetUtcNow() + options.PollInterval;
                while (true)
                {
                    var left = nextPoll - timeProvider.GetUtcNow();
                    if (left > TimeSpan.Zero && !await shared.WaitForNotificationAsync(left, cancellationToken).ConfigureAwait(false))
                    {
                        // Timed out, or a read took its turn: wait for the time that is left.
                        await Task.Yield();
                        continue;
                    }

                    // A notification, or the safety poll: the reload runs over this connection and so also proves it alive
                    // (a silent network drop never raises an error); a dead connection fails the next wait.
                    await onChanged(cancellationToken).ConfigureAwait(false);
                    nextPoll = timeProvider.GetUtcNow() + options.PollInterval;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
            {
                // One warning per outage; the retries that follow are logged at debug level.
                failures++;
                if (failures == 1)
                {
                    PostgreSqlLog.ListenFailed(logger, delay, ex);
                }
                else
                {
                    PostgreSqlLog.ListenRetryFailed(logger, failures, delay, ex);
                }

                // Pooled connections to a restarted server are dead too: drop them so the reload after reconnecting works at once.
                connections.DataSource.Clear();
            }
            finally
            {
                if (connection is not null)
                {
                    await shared.DetachAsync().ConfigureAwait(false);
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }

            // A connection that was listening is lost: report it, so the caller's reload finds out whether the store
            // answers (and says so in its health) instead of trusting a state nobody is watching.
            if (listened)
            {
                try
                {
                    await onChanged(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }

            try
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
        }
    }
}
