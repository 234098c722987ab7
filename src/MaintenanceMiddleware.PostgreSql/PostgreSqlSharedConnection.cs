using System.Data;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// The one connection an idle instance holds: the listener waits for notifications on it, and the store's reads run
/// over it in between, one command at a time. A read that arrives while the listener waits interrupts the wait
/// (cancelling <see cref="NpgsqlConnection.WaitAsync(TimeSpan, CancellationToken)"/> leaves the connection open), runs,
/// and hands the connection back; a notification that arrives during a read is remembered and reported.
/// </summary>
internal sealed class PostgreSqlSharedConnection : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _sync = new();
    private volatile NpgsqlConnection? _connection;
    private CancellationTokenSource? _waiting;
    private int _queued;
    private int _notified;

    /// <summary>Whether a listening connection is attached and open.</summary>
    public bool IsOpen => _connection is { State: ConnectionState.Open };

    /// <summary>Lends <paramref name="connection"/> (listening already) to readers until <see cref="DetachAsync"/>.</summary>
    public void Attach(NpgsqlConnection connection)
    {
        connection.Notification += OnNotification;
        _connection = connection;
    }

    /// <summary>Takes the connection back from readers (waits for a read in progress to end).</summary>
    public async Task DetachAsync()
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is { } connection)
            {
                connection.Notification -= OnNotification;
                _connection = null;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// For the listener: waits up to <paramref name="timeout"/> for a notification. Returns <see langword="true"/> when
    /// one arrived (now or during a read since the last call); <see langword="false"/> on timeout or when a read took
    /// its turn first (call again with the time that is left).
    /// </summary>
    public async Task<bool> WaitForNotificationAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = _connection ?? throw new InvalidOperationException("No listening connection is attached.");
            if (Interlocked.Exchange(ref _notified, 0) == 1)
            {
                return true;
            }

            CancellationTokenSource waiting;
            lock (_sync)
            {
                if (_queued > 0)
                {
                    return false;
                }

                _waiting = waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            }

            try
            {
                // Whole milliseconds, at least one: Npgsql waits forever on a timeout of 0.
                await connection.WaitAsync((int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue), waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A read wants the connection.
            }
            finally
            {
                lock (_sync)
                {
                    _waiting = null;
                }

                waiting.Dispose();
            }

            return Interlocked.Exchange(ref _notified, 0) == 1;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> over the listening connection, after the command before it. Returns
    /// <see langword="false"/> (and does not run it) when no listening connection is open.
    /// </summary>
    public async Task<(bool Ran, T Result)> TryRunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            return (false, default!);
        }

        CancellationTokenSource? waiting;
        lock (_sync)
        {
            _queued++;
            waiting = _waiting;
        }

        try
        {
            try
            {
                waiting?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The wait ended on its own meanwhile.
            }

            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_sync)
            {
                _queued--;
            }
        }

        try
        {
            return _connection is { State: ConnectionState.Open } connection
                ? (true, await work(connection).ConfigureAwait(false))
                : (false, default!);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e) => Volatile.Write(ref _notified, 1);
}
