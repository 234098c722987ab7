namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>Writes an application's state straight to a store, as another host's operator (or the CLI) would.</summary>
internal static class StoreSwitch
{
    public static async Task SwitchAsync(IMaintenanceStateStore store, string application, bool on, string? message = null, string reason = "INTERNAL: schema migration 7731")
    {
        var states = await store.GetStatesAsync();
        var before = states.FirstOrDefault(s => string.Equals(s.Application, application, StringComparison.OrdinalIgnoreCase)) ?? MaintenanceState.Off(application);
        var after = before with { Enabled = on, Reason = reason, Message = message, Version = before.Version + 1, ChangedAt = DateTimeOffset.UtcNow, ChangedBy = "test" };
        await store.SaveAsync(after, before.Version, new MaintenanceAuditEntry
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = on ? MaintenanceAction.Enable : MaintenanceAction.Disable,
            Application = application,
            Reason = reason,
            Actor = "test",
            Source = "test",
            Before = before,
            After = after,
        });
    }
}
