using Microsoft.Extensions.Logging;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// The <c>LISTEN</c> connection of one instance: reports every notification, reloads in full after each (re)connect,
/// reconnects with doubling delays up to <see cref="PostgreSqlStoreOptions.MaxReconnectDelay"/>, and polls every
/// <see cref="PostgreSqlStoreOptions.PollInterval"/> as a safety net.
/// </summary>
internal sealed class PostgreSqlChangeListener(PostgreSqlStoreOptions options, PostgreSqlConnections connections, ILogger logger, TimeProvider timeProvider)
{
    private static readonly TimeSpan s_initialReconnectDelay = TimeSpan.FromMilliseconds(100);

    public async Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        var delay = s_initialReconnectDelay;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    await PostgreSqlConnections.ExecuteAsync(connection, $"LISTEN {PostgreSqlSchema.Quote(options.ChannelName)}", cancellationToken).ConfigureAwait(false);
                    PostgreSqlLog.Listening(logger, options.ChannelName);
                    if (failures > 0)
                    {
                        PostgreSqlLog.ListenRestored(logger, failures);
                    }

                    failures = 0;
                    delay = s_initialReconnectDelay;

                    // A full reload now: notifications sent while this instance was not listening are lost.
                    await onChanged(cancellationToken).ConfigureAwait(false);
                    while (true)
                    {
                        if (!await connection.WaitAsync(options.PollInterval, cancellationToken).ConfigureAwait(false))
                        {
                            // Safety net: prove the connection is alive (a silent network drop never raises an error) and reload.
                            await PostgreSqlConnections.ExecuteAsync(connection, "SELECT 1", cancellationToken).ConfigureAwait(false);
                        }

                        await onChanged(cancellationToken).ConfigureAwait(false);
                    }
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
