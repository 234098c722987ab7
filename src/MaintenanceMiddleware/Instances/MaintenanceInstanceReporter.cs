using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Reports this instance to the store's registry: at start, on every heartbeat, and at once whenever it applies a state
/// or finishes draining (the hooks' and the drain's progress wake it). A clean stop deregisters. Never on the request
/// path; a store that cannot be written is logged once and retried each heartbeat.
/// </summary>
internal sealed class MaintenanceInstanceReporter : IHostedService, IDisposable
{
    private static readonly TimeSpan s_drainRecheck = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_stopBudget = TimeSpan.FromSeconds(2);
    private readonly IMaintenanceInstanceRegistry? _registry;
    private readonly string _storeType;
    private readonly MaintenanceHooksDispatcher _hooks;
    private readonly RequestDrain _drain;
    private readonly MaintenanceModeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action _wakeUp;
    private TaskCompletionSource _wake = NewWake();
    private Task _loop = Task.CompletedTask;
    private bool _failing;
    private int _disposed;

    public MaintenanceInstanceReporter(
        IMaintenanceStateStore store,
        MaintenanceHooksDispatcher hooks,
        RequestDrain drain,
        IOptions<MaintenanceModeOptions> options,
        TimeProvider time,
        ILogger<MaintenanceInstanceReporter> logger)
    {
        _registry = store as IMaintenanceInstanceRegistry;
        _storeType = store.GetType().Name;
        _hooks = hooks;
        _drain = drain;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Identity = InstanceIdentity.ForThisProcess(_options.InstanceId);
        _wakeUp = () => Volatile.Read(ref _wake).TrySetResult();
    }

    /// <summary>Who this instance reports as (the id changes at start when another live process holds it).</summary>
    public InstanceIdentity Identity { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_registry is null)
        {
            MaintenanceLog.NoInstanceRegistry(_logger, _storeType);
            return Task.CompletedTask;
        }

        _hooks.Progressed += _wakeUp;
        _drain.Changed += _wakeUp;
        var token = _stopping.Token;
        _loop = Task.Run(() => RunAsync(_registry, token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_registry is null || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _hooks.Progressed -= _wakeUp;
        _drain.Changed -= _wakeUp;
        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        // Deregister, within a short budget: a store that is gone must not hold the shutdown up (the entry then expires).
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(s_stopBudget);
        try
        {
            await _registry.RemoveAsync(Identity.InstanceId, Identity.SessionId, budget.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MaintenanceStoreException or OperationCanceledException)
        {
            MaintenanceLog.InstanceReportFailed(_logger, ex);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _hooks.Progressed -= _wakeUp;
        _drain.Changed -= _wakeUp;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>The report of this instance now, or <see langword="null"/> before the first snapshot was handled.</summary>
    internal MaintenanceInstanceReport? BuildReport()
    {
        // The snapshot first, then the progress: a transition is counted before its snapshot is published.
        if (_hooks.Last is not { } snapshot)
        {
            return null;
        }

        var observersDone = _hooks.PendingTransitions == 0;
        var inFlight = _drain.InFlightRequests;
        var longLived = _drain.OpenLongLivedConnections;
        var drained = observersDone && _drain.Drained;
        List<string> pending = [];
        if (inFlight > 0)
        {
            pending.Add(inFlight == 1 ? "1 request in flight" : $"{inFlight} requests in flight");
        }

        if (longLived > 0)
        {
            pending.Add(longLived == 1 ? "1 long-lived connection open" : $"{longLived} long-lived connections open");
        }

        if (!observersDone)
        {
            pending.Add("observers running");
        }

        return new MaintenanceInstanceReport
        {
            InstanceId = Identity.InstanceId,
            SessionId = Identity.SessionId,
            Application = _options.ApplicationName,
            Applications = [.. _options.Applications],
            HostName = Identity.HostName,
            ProcessId = Identity.ProcessId,
            StartedAt = Identity.StartedAt,
            LibraryVersion = Identity.LibraryVersion,
            ForcedByConfiguration = snapshot.ForcedByConfiguration,
            HeartbeatInterval = _options.HeartbeatInterval,
            AppliedVersions = snapshot.States.ToDictionary(s => s.Application, s => s.Version, StringComparer.OrdinalIgnoreCase),
            InMaintenance = snapshot.IsActive,
            Drained = drained,
            Pending = drained ? null : pending.Count > 0 ? string.Join(", ", pending) : "draining",
            InFlightRequests = inFlight,
            OpenLongLivedConnections = longLived,
            BackgroundPaused = snapshot.IsActive && observersDone,
        };
    }

    private async Task TakeIdAsync(IMaintenanceInstanceRegistry registry, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.StartupTimeout);
        try
        {
            var list = await registry.GetInstancesAsync(budget.Token).ConfigureAwait(false);
            if (list.Instances.FirstOrDefault(i => i.IsLiveAt(list.AsOf) && Identity.IsClaimedBy(i)) is { } other)
            {
                var renamed = Identity.Renamed();
                MaintenanceLog.DuplicateInstanceId(_logger, Identity.InstanceId, other.SessionId, other.HostName, other.ProcessId, renamed.InstanceId);
                Identity = renamed;
            }
        }
        catch (Exception ex) when (ex is MaintenanceStoreException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The store is not answering yet: report under the id anyway; the loop retries (and says when it recovers).
            _failing = true;
            MaintenanceLog.InstanceReportFailed(_logger, ex);
        }

        MaintenanceLog.InstanceRegistered(_logger, Identity.InstanceId, _options.ApplicationName, _options.HeartbeatInterval);
    }

    private async Task RunAsync(IMaintenanceInstanceRegistry registry, CancellationToken token)
    {
        // In the background, so a store that is down does not hold start-up up a second time (the monitor already waited).
        await TakeIdAsync(registry, token).ConfigureAwait(false);
        string? lastKey = null;
        var lastSent = long.MinValue;
        while (!token.IsCancellationRequested)
        {
            var woken = Volatile.Read(ref _wake).Task;
            var report = BuildReport();
            var heartbeatDue = lastSent == long.MinValue || _time.GetElapsedTime(lastSent) >= _options.HeartbeatInterval;
            var key = report is null ? null : Key(report);
            if (report is not null && (heartbeatDue || key != lastKey))
            {
                if (await TryReportAsync(registry, report, token).ConfigureAwait(false))
                {
                    lastKey = key;
                    lastSent = _time.GetTimestamp();
                }
            }

            // While draining, look again soon (the drain timeout passes without a signal); otherwise at the next heartbeat.
            var wait = report is { Drained: false } ? s_drainRecheck : _options.HeartbeatInterval;
            await woken.WaitAsync(wait, _time, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (woken.IsCompleted)
            {
                Volatile.Write(ref _wake, NewWake());
            }
        }
    }

    private async Task<bool> TryReportAsync(IMaintenanceInstanceRegistry registry, MaintenanceInstanceReport report, CancellationToken token)
    {
        try
        {
            await registry.ReportAsync(report, token).ConfigureAwait(false);
            if (_failing)
            {
                _failing = false;
                MaintenanceLog.InstanceReportRecovered(_logger);
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            if (!_failing)
            {
                _failing = true;
                MaintenanceLog.InstanceReportFailed(_logger, ex);
            }

            return false;
        }
    }

    // What makes a report worth sending before the heartbeat is due.
    private static string Key(MaintenanceInstanceReport r) =>
        $"{string.Join(',', r.AppliedVersions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}|{r.InMaintenance}|{r.Drained}|{r.Pending}|{r.InFlightRequests}|{r.OpenLongLivedConnections}|{r.ForcedByConfiguration}|{r.BackgroundPaused}";

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
