using MaintenanceMiddleware.Cli.Targets;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, over a given store (or the real target factory).</summary>
/// <param name="urlStore">Also answer a <c>--url</c> target from the store, so tests see what the CLI does before it connects.</param>
internal sealed class CliRunner(TimeProvider time, IMaintenanceStateStore? store = null, IReadOnlyDictionary<string, string>? environment = null, bool urlStore = false)
{
    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync(string.Empty, args);

    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var factory = store is null ? null : new FixedStoreFactory(store, urlStore);
        var app = new CliApplication(output, error, reader, name => environment?.GetValueOrDefault(name), time, factory);
        var code = await app.RunAsync(args);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A --file target is the given store; every other choice goes to the real factory.</summary>
    private sealed class FixedStoreFactory(IMaintenanceStateStore store, bool urlStore) : TargetFactory
    {
        public override IMaintenanceTarget Create(TargetSelection selection, TimeProvider time) =>
            selection.File is null && !(urlStore && selection.Url is not null)
                ? base.Create(selection, time)
                : new StoreTarget(new NonDisposingStore(store), "test store", time);
    }

    private sealed class NonDisposingStore(IMaintenanceStateStore inner) : IMaintenanceStateStore, IMaintenanceInstanceRegistry
    {
        private IMaintenanceInstanceRegistry Registry => (IMaintenanceInstanceRegistry)inner;

        public Task ReportAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken = default) => Registry.ReportAsync(report, cancellationToken);

        public Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken = default) => Registry.RemoveAsync(instanceId, sessionId, cancellationToken);

        public Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default) => Registry.GetInstancesAsync(cancellationToken);

        public Task WatchInstancesAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => Registry.WatchInstancesAsync(onChanged, cancellationToken);

        public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) => inner.GetStatesAsync(cancellationToken);

        public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(state, expectedVersion, auditEntry, cancellationToken);

        public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.GetAuditTrailAsync(application, limit, cancellationToken);

        public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => inner.WatchAsync(onChanged, cancellationToken);
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}
