
namespace MaintenanceMiddleware;

/// <summary>
/// A state store that lives in this process only: for tests and single-process apps that do not need
/// maintenance to survive a restart. Thread-safe; notifies watchers after every write.
/// </summary>
public sealed partial class InMemoryMaintenanceStateStore : IMaintenanceStateStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MaintenanceState> _states = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<MaintenanceAuditEntry> _audit = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<MaintenanceState>>([.. _states.Values]);
        }
    }

    /// <inheritdoc />
    public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(auditEntry);
        TaskCompletionSource changed;
        lock (_lock)
        {
            var actual = _states.TryGetValue(state.Application, out var current) ? current.Version : 0;
            if (actual != expectedVersion)
            {
                throw new MaintenanceConflictException(state.Application, expectedVersion, actual);
            }

            _states[state.Application] = state;
            _audit.Add(auditEntry);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<MaintenanceAuditEntry> result =
            [
                .. Enumerable.Reverse(_audit)
                    .Where(e => application is null || string.Equals(e.Application, application, StringComparison.OrdinalIgnoreCase))
                    .Take(Math.Max(0, limit)),
            ];
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A push, never a poll: <paramref name="onChanged"/> runs once at the start (to catch a save between the caller's
    /// load and the start of watching) and then after every save.
    /// </remarks>
    public async Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        Task changed;
        lock (_lock)
        {
            changed = _changed.Task;
        }

        await onChanged(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            try
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Take the next signal before reloading, so a save during the reload is not missed.
            lock (_lock)
            {
                changed = _changed.Task;
            }

            await onChanged(cancellationToken).ConfigureAwait(false);
        }
    }
}
