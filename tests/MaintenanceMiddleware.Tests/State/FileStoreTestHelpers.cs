using MaintenanceMiddleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.State;

internal static class FileStoreTestHelpers
{
    public static FileMaintenanceStateStore Store(string path, ILogger<FileMaintenanceStateStore>? logger = null, TimeSpan? pollInterval = null) =>
        new(new FileStoreOptions { Path = path, PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(200) }, logger);

    public static MaintenanceModeService Service(IMaintenanceStateStore store, TimeProvider? time = null) =>
        new(store, Microsoft.Extensions.Options.Options.Create(new MaintenanceModeOptions()), time);

    public static Task<MaintenanceState> EnableAsync(this IMaintenanceModeService service, string application, string reason = "Release 42") =>
        service.EnableAsync(new EnableMaintenanceRequest { Application = application, Reason = reason, Actor = new MaintenanceActor("test", "code") });

    public static Task<MaintenanceState> DisableAsync(this IMaintenanceModeService service, string application, string reason = "Release 42 done") =>
        service.DisableAsync(new DisableMaintenanceRequest { Application = application, Reason = reason, Actor = new MaintenanceActor("test", "code") });

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
