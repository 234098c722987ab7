using System.Text.Json;
using MaintenanceMiddleware;
using Npgsql;
using NpgsqlTypes;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// The PostgreSQL store's instance registry: one row per instance in <see cref="PostgreSqlStoreOptions.InstancesTable"/>,
/// its heartbeat stamped with the server's <c>now()</c> (so instances with skewed clocks are judged by one clock), and
/// every report announced on <see cref="PostgreSqlStoreOptions.InstancesChannelName"/>, so a waiter is pushed, not polling.
/// </summary>
public sealed partial class PostgreSqlMaintenanceStateStore : IMaintenanceInstanceRegistry
{
    // Longer payloads are refused by pg_notify (8000 bytes); the payload only helps someone watching with psql.
    private const int NotifyPayloadLength = 200;

    /// <inheritdoc />
    /// <remarks>
    /// One statement: the upsert stamped with the server's <c>now()</c>, and <c>pg_notify</c> (sent on its commit) unless
    /// the report is the one already stored and its last heartbeat is at most two intervals old: a heartbeat that
    /// changes nothing but the time wakes no watcher (PostgreSQL signals every listening session of the database on each
    /// notification, whatever its channel), while an instance that comes back after missing beats does. It runs over the
    /// listening connection while one is open (a heartbeat opens no connection), else over a short-lived one.
    /// With <see cref="PostgreSqlStoreOptions.CreateSchema"/> the first report creates the instances table when missing.
    /// </remarks>
    public async Task ReportAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            if (!_schema.InstancesReady)
            {
                await _connections.WithConnectionAsync(
                    async c =>
                    {
                        await _schema.EnsureAsync(c, instances: true, cancellationToken).ConfigureAwait(false);
                        return true;
                    },
                    () => true,
                    cancellationToken).ConfigureAwait(false);
            }

            // Idempotent: a retry after a connection lost during the commit writes the same row again.
            await _connections.ReadAsync(
                async connection =>
                {
                    using var command = new NpgsqlCommand(
                        $"""
                        WITH previous AS (SELECT report, last_heartbeat FROM {_schema.InstancesTable} WHERE instance_id = @id),
                        reported AS (
                            INSERT INTO {_schema.InstancesTable} (instance_id, session_id, application, report, last_heartbeat)
                            VALUES (@id, @session, @application, @report, now())
                            ON CONFLICT (instance_id) DO UPDATE SET session_id = excluded.session_id, application = excluded.application,
                                report = excluded.report, last_heartbeat = excluded.last_heartbeat
                            RETURNING 1)
                        SELECT pg_notify(@channel, left(@id, {NotifyPayloadLength})) FROM reported
                        WHERE NOT EXISTS (SELECT 1 FROM previous WHERE previous.report = @report AND previous.last_heartbeat >= now() - @quiet)
                        """,
                        connection);
                    command.Parameters.AddWithValue("id", report.InstanceId);
                    command.Parameters.AddWithValue("session", report.SessionId);
                    command.Parameters.AddWithValue("application", report.Application);
                    command.Parameters.AddWithValue("report", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(report with { LastHeartbeat = default }, MaintenanceStoreJson.InstanceReport));
                    command.Parameters.AddWithValue("channel", _options.InstancesChannelName);
                    command.Parameters.AddWithValue("quiet", NpgsqlDbType.Interval, report.HeartbeatInterval * 2);
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, $"The report of instance '{report.InstanceId}' could not be written to PostgreSQL"), ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>Without the instances table (and with <see cref="PostgreSqlStoreOptions.CreateSchema"/>) there is nothing to remove, and nothing is created.</remarks>
    public async Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(sessionId);
        try
        {
            await _connections.ReadAsync(
                async connection =>
                {
                    using var command = new NpgsqlCommand(
                        $"""
                        WITH removed AS (
                            DELETE FROM {_schema.InstancesTable} WHERE instance_id = @id AND session_id = @session RETURNING 1)
                        SELECT pg_notify(@channel, left(@id, {NotifyPayloadLength})) FROM removed
                        """,
                        connection);
                    command.Parameters.AddWithValue("id", instanceId);
                    command.Parameters.AddWithValue("session", sessionId);
                    command.Parameters.AddWithValue("channel", _options.InstancesChannelName);
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgreSqlErrors.UndefinedTable && _options.CreateSchema)
        {
            // Never reported, so nothing to remove.
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, $"The report of instance '{instanceId}' could not be removed from PostgreSQL"), ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One query: every row with the server's <c>now()</c> as <see cref="MaintenanceInstanceList.AsOf"/>. Creates nothing:
    /// without the instances table the list is empty with <see cref="PostgreSqlStoreOptions.CreateSchema"/>, and an error
    /// that says to run <c>maintenance migrate</c> without it.
    /// </remarks>
    public async Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _connections.ReadAsync(ReadInstancesAsync, cancellationToken, instancesFirst: true).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgreSqlErrors.UndefinedTable && _options.CreateSchema)
        {
            try
            {
                return await _connections.ReadAsync(ReadNowAsync, cancellationToken, instancesFirst: true).ConfigureAwait(false);
            }
            catch (Exception inner) when (PostgreSqlErrors.IsDatabaseError(inner, cancellationToken))
            {
                throw new MaintenanceStoreException(Describe(inner, "The instance reports could not be read from PostgreSQL"), inner);
            }
        }
        catch (Exception ex) when (PostgreSqlErrors.IsDatabaseError(ex, cancellationToken))
        {
            throw new MaintenanceStoreException(Describe(ex, "The instance reports could not be read from PostgreSQL"), ex);
        }

        async Task<MaintenanceInstanceList> ReadInstancesAsync(NpgsqlConnection connection)
        {
            // The left join yields one row (the server's time) even when no instance reported.
            using var command = new NpgsqlCommand(
                $"""
                SELECT now(), i.instance_id, i.report::text, i.last_heartbeat
                FROM (VALUES (1)) AS one (x) LEFT JOIN {_schema.InstancesTable} AS i ON true
                ORDER BY i.instance_id COLLATE "C"
                """,
                connection);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var asOf = DateTimeOffset.MinValue;
                var instances = new List<MaintenanceInstanceReport>();
                var unreadable = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    asOf = reader.GetFieldValue<DateTimeOffset>(0);
                    if (reader.IsDBNull(1))
                    {
                        continue;
                    }

                    var id = reader.GetString(1);
                    if (ReadReport(id, reader.GetString(2), out var why) is { } report)
                    {
                        instances.Add(report with { InstanceId = id, LastHeartbeat = reader.GetFieldValue<DateTimeOffset>(3) });
                    }
                    else
                    {
                        unreadable.Add(why);
                    }
                }

                return new MaintenanceInstanceList { AsOf = asOf, Instances = instances, Unreadable = unreadable };
            }
        }

        async Task<MaintenanceInstanceList> ReadNowAsync(NpgsqlConnection connection)
        {
            using var command = new NpgsqlCommand("SELECT now()", connection);
            var now = (DateTime)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new MaintenanceInstanceList { AsOf = new DateTimeOffset(now, TimeSpan.Zero), Instances = [] };
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Listens on <see cref="PostgreSqlStoreOptions.InstancesChannelName"/> over a connection of its own (the state's
    /// watch keeps its own, and so does each concurrent watch of the instances); reports after every (re)connect, on each
    /// notification, and once every <see cref="PostgreSqlStoreOptions.PollInterval"/> without one. The instance reads
    /// the callback runs go over a listening connection.
    /// </remarks>
    public async Task WatchInstancesAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var shared = _connections.AddInstancesListener();
        try
        {
            var listener = new PostgreSqlChangeListener(_options.InstancesChannelName, _options, _connections, shared, _logger, _timeProvider);
            await listener.WatchAsync(onChanged, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Not disposed: a read may still hold it, and its semaphore owns no handle.
            _connections.RemoveInstancesListener(shared);
        }
    }

    private static MaintenanceInstanceReport? ReadReport(string id, string json, out string why)
    {
        try
        {
            if (JsonSerializer.Deserialize(json, MaintenanceStoreJson.InstanceReport) is { } report)
            {
                if (!report.TryValidate(out var problem))
                {
                    why = $"instance '{id}': the stored report is not usable ({problem})";
                    return null;
                }

                why = string.Empty;
                return report;
            }

            why = $"instance '{id}': the stored report is null";
        }
        catch (JsonException ex)
        {
            why = $"instance '{id}': the stored report cannot be read ({ex.Message.TrimEnd('.')})";
        }

        return null;
    }
}
