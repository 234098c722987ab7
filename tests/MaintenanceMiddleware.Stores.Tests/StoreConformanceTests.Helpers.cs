using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>What the conformance tests share: waiting for a watch to settle, and the states and entries they write.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>How long a watch must stay quiet (no report) before the test counts the reports that follow.</summary>
    protected virtual TimeSpan WatchSettle => TimeSpan.FromMilliseconds(700);

    /// <summary>
    /// Waits until a watch has settled: at least one report when <paramref name="initialReport"/> (a store that connects to a
    /// server reloads once it listens), then no report for <see cref="WatchSettle"/>, so start-up reports are never
    /// mistaken for the report a test waits for.
    /// </summary>
    protected async Task SettleAsync(Func<int> reports, bool initialReport)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (initialReport && reports() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the watch never made its first report");
            await Task.Delay(20);
        }

        while (true)
        {
            var before = reports();
            await Task.Delay(WatchSettle);
            if (reports() == before)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the watch never went quiet");
        }
    }

    protected static MaintenanceState On(string application, long version, string reason) =>
        MaintenanceState.Off(application) with { Enabled = true, Reason = reason, Version = version, ChangedBy = "tester", ChangedAt = DateTimeOffset.UtcNow };

    protected static MaintenanceAuditEntry Audit(MaintenanceState state, string reason) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Action = MaintenanceAction.Enable,
        Application = state.Application,
        Reason = reason,
        Actor = state.ChangedBy ?? "tester",
        Source = "test",
        Before = MaintenanceState.Off(state.Application),
        After = state,
    };

    /// <summary>What the monitor throws from its callback when its read failed: a type of its own, not a store's error.</summary>
    private sealed class CallbackFailedException(string message) : Exception(message);
}
