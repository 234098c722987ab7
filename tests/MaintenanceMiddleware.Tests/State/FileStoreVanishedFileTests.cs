using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>A state file that existed and vanishes keeps the last state; a path that cannot hold a file is a store error.</summary>
public sealed class FileStoreVanishedFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => _dir.Combine("App_Data", "maintenance", "state.json");

    [Fact]
    public async Task Deleted_state_file_keeps_maintenance_on_reports_Degraded_and_logs_an_error_naming_the_file()
    {
        await using var host = await StartAsync();
        await host.Service.EnableAsync("Storefront");
        await host.WaitForStatusAsync(503, TimeSpan.FromSeconds(5));

        File.Delete(StatePath);

        var error = await WaitForStoreErrorAsync(host);
        Assert.Contains(StatePath, error.Exception!.Message, StringComparison.Ordinal);
        Assert.Contains("is missing, but it existed", error.Exception.Message, StringComparison.Ordinal);
        await AssertKeptAndDegradedAsync(host);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "MaintenanceEnded");

        // An operator switches again: the file is written anew, versions go on from the audit trail.
        var state = await host.Service.DisableAsync("Storefront");
        Assert.Equal(2, state.Version);
        Assert.True(File.Exists(StatePath));
        await host.WaitForStatusAsync(200, TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => host.Monitor.StoreHealthy, TimeSpan.FromSeconds(5), "the store is healthy again");
        Assert.Equal(HealthStatus.Healthy, (await CheckHealthAsync(host)).Status);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "StateFileRecreated");
    }

    [Fact]
    public async Task Directory_in_place_of_the_state_file_keeps_maintenance_on_and_says_it_is_a_directory()
    {
        await using var host = await StartAsync();
        await host.Service.EnableAsync("Storefront");
        await host.WaitForStatusAsync(503, TimeSpan.FromSeconds(5));

        File.Delete(StatePath);
        Directory.CreateDirectory(StatePath);

        await WaitUntilAsync(
            () => host.Monitor.LastError?.Message.Contains("is a directory, not a file", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(5),
            "the monitor reads the directory");
        Assert.Contains(StatePath, host.Monitor.LastError!.Message, StringComparison.Ordinal);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "StoreUnavailable" && r.Level == LogLevel.Error);
        await AssertKeptAndDegradedAsync(host);
        var refused = await Assert.ThrowsAsync<MaintenanceStoreException>(() => host.Service.DisableAsync("Storefront"));
        Assert.Contains("is a directory, not a file", refused.Message, StringComparison.Ordinal);
        Assert.Equal(503, await host.GetStatusCodeAsync());

        // Once the directory is gone, a change writes the file again and the host follows it.
        Directory.Delete(StatePath);
        await host.Service.DisableAsync("Storefront");
        await host.WaitForStatusAsync(200, TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => host.Monitor.StoreHealthy, TimeSpan.FromSeconds(5), "the store is healthy again");
    }

    [Fact]
    public async Task Folder_wiped_by_a_deploy_keeps_maintenance_on_in_a_running_host()
    {
        await using var host = await StartAsync();
        await host.Service.EnableAsync("Storefront");
        await host.WaitForStatusAsync(503, TimeSpan.FromSeconds(5));

        // The audit trail goes too. The running host may touch the folder meanwhile (its watcher re-creates a folder it
        // watches), so wipe it as a deploy script retrying 'rm -rf' would.
        for (var attempt = 1; Directory.Exists(Path.GetDirectoryName(StatePath)!); attempt++)
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(StatePath)!, recursive: true);
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(20);
            }

            if (!File.Exists(StatePath) && !File.Exists(Path.ChangeExtension(StatePath, ".audit.jsonl")))
            {
                break;
            }
        }

        var error = await WaitForStoreErrorAsync(host);
        Assert.Contains("this process read it before", error.Exception!.Message, StringComparison.Ordinal);
        await AssertKeptAndDegradedAsync(host);
    }

    [Fact]
    public async Task Another_process_finds_the_vanished_file_through_the_audit_trail_and_a_change_restores_every_application()
    {
        var service = Service(Store(StatePath));
        await service.EnableAsync(MaintenanceState.AllApplications, "whole environment");
        await service.EnableAsync("Storefront", "shop");
        await service.DisableAsync("Storefront", "shop back");
        File.Delete(StatePath);

        // A fresh store (the CLI, a restarted app) never saw the file, but the audit trail says it existed.
        var fresh = Store(StatePath);
        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => fresh.GetStatesAsync());
        Assert.Contains(StatePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fresh.AuditPath, ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MaintenanceStoreException>(() => Service(fresh).GetStatusAsync("Storefront"));

        var backOffice = await Service(fresh).EnableAsync("BackOffice", "back office");

        var states = (await fresh.GetStatesAsync()).ToDictionary(s => s.Application);
        Assert.Equal(1, backOffice.Version);
        Assert.True(states[MaintenanceState.AllApplications].Enabled);
        Assert.Equal("whole environment", states[MaintenanceState.AllApplications].Reason);
        Assert.False(states["Storefront"].Enabled);
        Assert.Equal(2, states["Storefront"].Version);
        Assert.True(states["BackOffice"].Enabled);
    }

    [Fact]
    public async Task Reader_during_the_first_change_never_takes_it_for_a_vanished_file()
    {
        var errors = new List<string>();
        var reads = 0;
        for (var run = 0; run < 20; run++)
        {
            var path = _dir.Combine($"run{run}", "state.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var reader = Store(path);
            using var stop = new CancellationTokenSource();
            var reading = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await reader.GetStatesAsync();
                        Interlocked.Increment(ref reads);
                    }
                    catch (MaintenanceStoreException ex)
                    {
                        lock (errors)
                        {
                            errors.Add(ex.Message);
                        }
                    }
                }
            });

            // The reader is running (it has read "no state") before the first change starts.
            var before = Volatile.Read(ref reads);
            await WaitUntilAsync(() => Volatile.Read(ref reads) > before, TimeSpan.FromSeconds(5), "the reader runs");
            await Service(Store(path)).EnableAsync("Storefront");
            await stop.CancelAsync();
            await reading;
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Store_that_never_had_a_file_starts_with_no_state()
    {
        var store = Store(StatePath);
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        await File.WriteAllBytesAsync(store.AuditPath, []); // an empty audit file records nothing

        Assert.Empty(await store.GetStatesAsync());
    }

    [Fact]
    public async Task State_path_under_a_regular_file_is_a_store_error_with_the_system_error_and_the_host_is_Degraded()
    {
        var file = _dir.Combine("afile");
        await File.WriteAllTextAsync(file, "not a folder");
        var statePath = Path.Combine(file, "state.json");

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => Store(statePath).GetStatesAsync());
        Assert.Contains($"'{file}' is a file, not a folder", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the system reports:", ex.Message, StringComparison.Ordinal);
        var write = await Assert.ThrowsAsync<MaintenanceStoreException>(() => Service(Store(statePath)).EnableAsync("Storefront"));
        Assert.Contains($"'{file}' is a file, not a folder", write.Message, StringComparison.Ordinal);

        await using var host = await StartAsync(statePath);
        Assert.False(host.Monitor.StoreHealthy);
        var health = await CheckHealthAsync(host);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("is a file, not a folder", health.Exception!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_path_that_is_a_directory_says_so_instead_of_access_denied()
    {
        Directory.CreateDirectory(StatePath);

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => Store(StatePath).GetStatesAsync());

        Assert.Equal($"Could not read the maintenance state file '{StatePath}': it is a directory, not a file. Remove the directory (or point the file store's Path at a file); switching again then writes the file.", ex.Message);
    }

    private Task<MaintenanceTestHost> StartAsync(string? statePath = null) =>
        MaintenanceTestHost.StartAsync(_dir.Path, statePath ?? StatePath, services => services.AddHealthChecks().AddMaintenanceModeCheck());

    private static Task<HealthReportEntry> CheckHealthAsync(MaintenanceTestHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().ContinueWith(t => t.Result.Entries["maintenance"], TaskScheduler.Default);

    private static async Task<Microsoft.Extensions.Logging.Testing.FakeLogRecord> WaitForStoreErrorAsync(MaintenanceTestHost host)
    {
        await WaitUntilAsync(() => host.Logs.GetSnapshot().Any(r => r.Id.Name == "StoreUnavailable"), TimeSpan.FromSeconds(5), "the monitor logs that the store failed");
        var error = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "StoreUnavailable");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.IsType<MaintenanceStoreException>(error.Exception);
        return error;
    }

    private static async Task AssertKeptAndDegradedAsync(MaintenanceTestHost host)
    {
        Assert.False(host.Monitor.StoreHealthy);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(503, await host.GetStatusCodeAsync());
        }

        Assert.True(host.Monitor.Current.IsActive);
        Assert.Equal(HealthStatus.Degraded, (await CheckHealthAsync(host)).Status);
    }
}
