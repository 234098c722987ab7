using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;
using Npgsql;

namespace MaintenanceMiddleware.Benchmarks.Propagation;

/// <summary>
/// One simulated host of <see cref="AckPropagationBenchmark"/>: its own data source and store, watching the state; on
/// each change it re-reads and reports the applied version with <c>Drained=true</c>, and it heartbeats meanwhile. The
/// reports of one host are sent one after another, each with what the host knows when it is sent.
/// </summary>
internal sealed class AckHost
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlMaintenanceStateStore _store;
    private readonly string _application;
    private readonly SemaphoreSlim _reporting = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private MaintenanceInstanceReport _report;
    private Task _watch = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private int _reports;
    private long _appliedAt;
    private long _acknowledgedAt;

    private AckHost(NpgsqlDataSource dataSource, PostgreSqlMaintenanceStateStore store, string instanceId, string application, TimeSpan heartbeat)
    {
        _dataSource = dataSource;
        _store = store;
        _application = application;
        _report = new MaintenanceInstanceReport
        {
            InstanceId = instanceId,
            SessionId = Guid.NewGuid().ToString("N"),
            Application = application,
            HostName = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            StartedAt = DateTimeOffset.UtcNow,
            HeartbeatInterval = heartbeat,
        };
    }

    public int Reports => Volatile.Read(ref _reports);

    /// <summary>When (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>) the host last read a new version.</summary>
    public long AppliedAt => Volatile.Read(ref _appliedAt);

    /// <summary>When the report of that version was written (the upsert and its NOTIFY committed).</summary>
    public long AcknowledgedAt => Volatile.Read(ref _acknowledgedAt);

    public static AckHost Start(NpgsqlDataSource dataSource, Func<NpgsqlDataSource, PostgreSqlMaintenanceStateStore> store, string instanceId, string application, TimeSpan heartbeat)
    {
        var host = new AckHost(dataSource, store(dataSource), instanceId, application, heartbeat);
        host._watch = host._store.WatchAsync(host.ApplyAsync, host._stop.Token);
        host._heartbeat = host.HeartbeatAsync(heartbeat);
        return host;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_watch, _heartbeat).ConfigureAwait(false);
        await _store.RemoveAsync(_report.InstanceId, _report.SessionId).ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _reporting.Dispose();
    }

    // What the state monitor and the reporter do together: reload, apply (the snapshot swap), acknowledge.
    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<MaintenanceState> states;
        try
        {
            states = await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MaintenanceStoreException)
        {
            return;
        }

        var own = states.FirstOrDefault(s => string.Equals(s.Application, _application, StringComparison.OrdinalIgnoreCase));
        var version = own?.Version ?? 0;
        if (version == Volatile.Read(ref _report).AppliedVersionOf(_application) && Reports > 0)
        {
            return;
        }

        Volatile.Write(ref _appliedAt, System.Diagnostics.Stopwatch.GetTimestamp());
        Volatile.Write(ref _report, _report with
        {
            AppliedVersions = new Dictionary<string, long> { [_application] = version },
            InMaintenance = own?.Enabled ?? false,
            Drained = true,
            BackgroundPaused = own?.Enabled ?? false,
        });
        await SendAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _acknowledgedAt, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    private async Task HeartbeatAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await SendAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        await _reporting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.ReportAsync(Volatile.Read(ref _report), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _reports);
        }
        catch (MaintenanceStoreException ex)
        {
            await Console.Error.WriteLineAsync($"{_report.InstanceId}: {ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            _reporting.Release();
        }
    }
}
