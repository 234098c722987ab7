using MaintenanceMiddleware.Tests.Request;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>Writes a window straight into a store (with a public message, which the switch requests do not carry here).</summary>
internal static class PageTestState
{
    public static async Task SaveAsync(RequestTestHost host, InMemoryMaintenanceStateStore store, MaintenanceState state)
    {
        var current = (await store.GetStatesAsync()).FirstOrDefault(s => s.Application == state.Application);
        var version = current?.Version ?? 0;
        var next = state with { Version = version + 1 };
        await store.SaveAsync(next, version, new MaintenanceAuditEntry
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = MaintenanceAction.Enable,
            Application = state.Application,
            Reason = state.Reason ?? "test",
            Actor = "test",
            Source = "test",
            Before = current ?? MaintenanceState.Off(state.Application),
            After = next,
        });
        await host.Monitor.ReloadAsync(CancellationToken.None);
    }

    public static MaintenanceState Window(string? message = null, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null, string reason = "CVE patch") => new()
    {
        Application = RequestTestHostSetup.Application,
        Enabled = true,
        Reason = reason,
        Message = message,
        StartsAt = startsAt,
        EndsAt = endsAt,
    };
}
