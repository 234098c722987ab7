using MaintenanceMiddleware;
using Microsoft.Extensions.Time.Testing;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>The file store's own change detection and clock: the poll and the lock wait follow the injected TimeProvider.</summary>
public sealed class FileStoreWatchTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Poll_ticks_on_the_injected_time_provider_every_PollInterval()
    {
        var path = _dir.Combine("state.json");
        var time = new FakeTimeProvider();
        var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = path, PollInterval = TimeSpan.FromMinutes(10) }, timeProvider: time) { UseFileSystemWatcher = false };
        await Service(store).EnableAsync("Storefront");
        var calls = 0;
        using var cts = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, cts.Token);
        await WaitUntilAsync(() => Volatile.Read(ref calls) >= 1, TimeSpan.FromSeconds(5), "the initial call");

        await File.AppendAllTextAsync(path, "\n");
        time.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(300);
        Assert.Equal(1, Volatile.Read(ref calls));

        time.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(() => Volatile.Read(ref calls) == 2, TimeSpan.FromSeconds(5), "the poll at 10 minutes reports the edit");

        // An unchanged file is not reported again, however many polls pass.
        time.Advance(TimeSpan.FromMinutes(30));
        await Task.Delay(300);
        Assert.Equal(2, Volatile.Read(ref calls));
        await cts.CancelAsync();
        await watch;
    }

    [Fact]
    public async Task While_reads_fail_every_poll_reports_a_change_so_the_follower_retries()
    {
        var path = _dir.Combine("state.json");
        var time = new FakeTimeProvider();
        var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = path, PollInterval = TimeSpan.FromSeconds(1) }, timeProvider: time) { UseFileSystemWatcher = false };
        await Service(store).EnableAsync("Storefront");
        var valid = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, "{ corrupt");
        var calls = 0;
        using var cts = new CancellationTokenSource();
        var watch = store.WatchAsync(
            async ct =>
            {
                Interlocked.Increment(ref calls);
                try
                {
                    await store.GetStatesAsync(ct);
                }
                catch (MaintenanceStoreException)
                {
                    // A follower keeps its last state and waits for the next report.
                }
            },
            cts.Token);
        await WaitUntilAsync(() => Volatile.Read(ref calls) >= 1, TimeSpan.FromSeconds(5), "the initial call");

        for (var expected = 2; expected <= 4; expected++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await WaitUntilAsync(() => Volatile.Read(ref calls) == expected, TimeSpan.FromSeconds(5), $"poll {expected - 1} reports a change while the file cannot be read");
        }

        await File.WriteAllTextAsync(path, valid);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => Volatile.Read(ref calls) == 5, TimeSpan.FromSeconds(5), "the repaired file is reported");
        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.Equal(5, Volatile.Read(ref calls));
        await cts.CancelAsync();
        await watch;
    }

    [Fact]
    public async Task Lock_timeout_is_measured_on_the_injected_time_provider()
    {
        var path = _dir.Combine("state.json");
        var time = new FakeTimeProvider();
        var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = path, LockTimeout = TimeSpan.FromMinutes(5) }, timeProvider: time);
        await using var held = new FileStream(store.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var save = Service(store).EnableAsync("Storefront");
        await Task.Delay(300);
        Assert.False(save.IsCompleted, "A lock timeout of 5 minutes on a clock that did not move has not passed.");

        for (var i = 0; i < 200 && !save.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(10);
        }

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => save);
        Assert.Contains("within 300 s", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task In_memory_store_pushes_every_save_and_a_save_made_before_watching()
    {
        var store = new InMemoryMaintenanceStateStore();
        var early = MaintenanceState.Off("Storefront") with { Enabled = true, Version = 1 };
        await store.SaveAsync(early, 0, Audit(early));
        var seen = new List<long>();
        using var cts = new CancellationTokenSource();
        var watch = store.WatchAsync(
            async ct =>
            {
                var states = await store.GetStatesAsync(ct);
                lock (seen)
                {
                    seen.Add(states.Single().Version);
                }
            },
            cts.Token);

        await WaitUntilAsync(() => { lock (seen) { return seen.Count == 1; } }, TimeSpan.FromSeconds(5), "the initial call sees the earlier save");
        var next = early with { Enabled = false, Version = 2 };
        await store.SaveAsync(next, 1, Audit(next));
        await WaitUntilAsync(() => { lock (seen) { return seen.Contains(2); } }, TimeSpan.FromSeconds(5), "the save is pushed");
        await cts.CancelAsync();
        await watch;

        Assert.Equal([1L, 2L], seen);
    }

    internal static MaintenanceAuditEntry Audit(MaintenanceState after) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Action = after.Enabled ? MaintenanceAction.Enable : MaintenanceAction.Disable,
        Application = after.Application,
        Reason = after.Reason ?? "test",
        Actor = "test",
        Source = "code",
        Before = MaintenanceState.Off(after.Application),
        After = after,
    };
}
