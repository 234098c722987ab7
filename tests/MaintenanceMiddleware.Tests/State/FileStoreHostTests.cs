using MaintenanceMiddleware;
using Microsoft.Extensions.Logging;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>A running app on the file store: writes by other processes, and corrupt files.</summary>
public sealed class FileStoreHostTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => _dir.Combine("App_Data", "maintenance", "state.json");

    [Fact]
    public async Task Relative_state_file_lives_under_the_content_root()
    {
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, "App_Data/maintenance/state.json");

        await host.Service.EnableAsync("Storefront");

        Assert.True(File.Exists(StatePath));
        Assert.True(File.Exists(_dir.Combine("App_Data", "maintenance", "state.audit.jsonl")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_by_another_process_is_seen_by_a_running_host_within_2_seconds(bool fileWatcher)
    {
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath, fileWatcher: fileWatcher);
        Assert.Equal(200, await host.GetStatusCodeAsync());

        using var writer = FileStoreWriterProcess.Start("enable", StatePath, "Storefront", "Release 42 from another process");
        var output = await FileStoreWriterProcess.WaitForSuccessAsync(writer, TimeSpan.FromSeconds(60));
        Assert.Contains("version=1", output, StringComparison.Ordinal);

        var seenAfter = await host.WaitForStatusAsync(503, TimeSpan.FromSeconds(5));
        Assert.True(seenAfter < TimeSpan.FromSeconds(2), $"The host saw the write after {seenAfter.TotalMilliseconds:0} ms.");
        Assert.Equal("Release 42 from another process", host.Monitor.Current.Effective.Reason);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task Corrupt_or_half_written_file_keeps_the_last_state_logs_an_error_and_fails_no_request(string damage)
    {
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath);
        await host.Service.EnableAsync("Storefront");
        await host.WaitForStatusAsync(503, TimeSpan.FromSeconds(5));
        var valid = await File.ReadAllTextAsync(StatePath);

        await File.WriteAllTextAsync(StatePath, damage switch
        {
            "garbage" => "this is not JSON",
            "truncated" => valid[..(valid.Length / 2)],
            _ => string.Empty,
        });

        await WaitUntilAsync(
            () => host.Logs.GetSnapshot().Any(r => r.Id.Name == "StoreUnavailable"),
            TimeSpan.FromSeconds(5),
            "the monitor logs that the store cannot be read");
        Assert.False(host.Monitor.StoreHealthy);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(503, await host.GetStatusCodeAsync());
        }

        var error = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "StoreUnavailable");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.IsType<MaintenanceStoreException>(error.Exception);
        Assert.Contains(StatePath, error.Exception!.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MaintenanceStoreException>(() => host.Service.GetStatusAsync("Storefront"));

        // Repaired (here: restored), the host follows the file again and says so.
        await File.WriteAllTextAsync(StatePath, valid.Replace("\"enabled\": true", "\"enabled\": false", StringComparison.Ordinal));
        await host.WaitForStatusAsync(200, TimeSpan.FromSeconds(5));
        Assert.True(host.Monitor.StoreHealthy);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "StoreRecovered");
    }

    [Fact]
    public async Task Failed_audit_append_undoes_the_state_change()
    {
        var store = Store(StatePath);
        var service = Service(store);
        await service.EnableAsync("Storefront", "kept");
        var before = await File.ReadAllBytesAsync(StatePath);
        File.Delete(store.AuditPath);
        Directory.CreateDirectory(store.AuditPath); // appending to it now fails

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => service.DisableAsync("Storefront", "lost?"));

        Assert.Contains(store.AuditPath, ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(StatePath));
        Assert.True((await store.GetStatesAsync())[0].Enabled);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(StatePath)!, "*.tmp"));
    }

    [Fact]
    public async Task Host_starting_on_a_corrupt_file_starts_with_maintenance_off_and_converges_once_repaired()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        await File.WriteAllTextAsync(StatePath, "{\"version\":1,\"applications\":{");

        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath);

        Assert.Equal(200, await host.GetStatusCodeAsync());
        Assert.False(host.Monitor.StoreHealthy);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "StartupFallback" && r.Exception is MaintenanceStoreException);

        File.Delete(StatePath);
        await Service(Store(StatePath)).EnableAsync("Storefront");
        await host.WaitForStatusAsync(503, TimeSpan.FromSeconds(5));
        Assert.True(host.Monitor.StoreHealthy);
    }
}
