using System.Data;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// Where the store's commands get their connection. Reads go over the instance's listening connection while it is
/// open (<see cref="Shared"/>); writes, migrations, and reads while nothing listens (start-up, an outage, the CLI) open
/// a short-lived connection and close it.
/// </summary>
internal sealed class PostgreSqlConnections(NpgsqlDataSource dataSource, bool ownsDataSource) : IAsyncDisposable, IDisposable
{
    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>The connection that listens for state changes (every instance holds it while it watches the state).</summary>
    public PostgreSqlSharedConnection Shared { get; } = new();

    private readonly Lock _instancesSync = new();
    private PostgreSqlSharedConnection[] _instancesShared = [];

    /// <summary>
    /// Builds the data source the store owns from a connection string. Without pooling: the one long-lived connection
    /// is the listener's, and a short-lived one is closed when done instead of idling in a pool (so an idle instance
    /// holds one connection, and 50 instances fit a default <c>max_connections</c> of 100).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        return builder.Build();
    }

    public ValueTask<NpgsqlConnection> OpenListeningConnectionAsync(CancellationToken cancellationToken) =>
        dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Runs a read (or one idempotent autocommit statement) over a listening connection when one is open, the state
    /// listener's first unless <paramref name="instancesFirst"/>, else over a short-lived one.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken, bool instancesFirst = false)
    {
        var instances = Volatile.Read(ref _instancesShared);
        foreach (var shared in instancesFirst ? [.. instances, Shared] : (PostgreSqlSharedConnection[])[Shared, .. instances])
        {
            try
            {
                var (ran, result) = await shared.TryRunAsync(work, cancellationToken).ConfigureAwait(false);
                if (ran)
                {
                    return result;
                }
            }
            catch (NpgsqlException) when (!shared.IsOpen && !cancellationToken.IsCancellationRequested)
            {
                // The listening connection died under this read (the listener reconnects): read once more on a fresh one.
                break;
            }
        }

        return await WithConnectionAsync(work, () => true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A connection slot for one watch of the instance reports (a waiter holds it while it waits; several waits in one
    /// process each hold their own), lent to the instance reads until <see cref="RemoveInstancesListener"/>.
    /// </summary>
    public PostgreSqlSharedConnection AddInstancesListener()
    {
        var shared = new PostgreSqlSharedConnection();
        lock (_instancesSync)
        {
            _instancesShared = [.. _instancesShared, shared];
        }

        return shared;
    }

    /// <summary>Takes a watch's connection slot off the list (a read that found it meanwhile sees it detached and moves on).</summary>
    public void RemoveInstancesListener(PostgreSqlSharedConnection shared)
    {
        lock (_instancesSync)
        {
            _instancesShared = [.. _instancesShared.Where(s => !ReferenceEquals(s, shared))];
        }
    }

    // Runs work on a connection of its own. After a server restart a pool may hand out a connection that is already dead:
    // then (when the work says a retry is safe) the pool is cleared and the work runs once more on a fresh connection.
    public async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, Func<bool> canRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    return await work(connection).ConfigureAwait(false);
                }
                catch (NpgsqlException) when (attempt == 1 && connection.State != ConnectionState.Open && canRetry() && !cancellationToken.IsCancellationRequested)
                {
                    dataSource.Clear();
                }
            }
        }
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Shared.Dispose();
        if (ownsDataSource)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        Shared.Dispose();
        if (ownsDataSource)
        {
            dataSource.Dispose();
        }
    }
}
