using System.Data;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Where the store's commands get their connection: the data source, and whether the store owns it.</summary>
internal sealed class PostgreSqlConnections(NpgsqlDataSource dataSource, bool ownsDataSource) : IAsyncDisposable, IDisposable
{
    public NpgsqlDataSource DataSource => dataSource;

    // Runs work on a pooled connection. After a server restart the pool may hand out a connection that is already dead:
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

    public ValueTask DisposeAsync() => ownsDataSource ? dataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (ownsDataSource)
        {
            dataSource.Dispose();
        }
    }
}
