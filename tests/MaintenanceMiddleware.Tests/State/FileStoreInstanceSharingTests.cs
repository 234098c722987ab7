using MaintenanceMiddleware;
using Microsoft.Extensions.Time.Testing;
using static MaintenanceMiddleware.Tests.State.FileStoreInstanceTests;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>
/// The file store's instance files shared by several stores (processes) over one folder: atomic replacement, two
/// stores claiming one id, long-gone reports pruned on read, and a watcher that hears another store's report.
/// </summary>
public sealed class FileStoreInstanceSharingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reports_replace_the_file_atomically_so_a_reader_never_sees_half_of_one_and_no_temporary_file_is_left()
    {
        var path = _dir.Combine("state.json");
        var writer = FileStoreTestHelpers.Store(path);
        var reader = FileStoreTestHelpers.Store(path);

        // Large reports (about 100 KB) widen the window a non-atomic write would leave open.
        var applications = Enumerable.Range(0, 5000).Select(i => $"Application-{i:0000}").ToArray();
        await writer.ReportAsync(Report("web-1") with { Applications = applications });
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await writer.ReportAsync(Report("web-1") with { Applications = applications, InFlightRequests = writes++ });
            }
        });

        var reads = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < deadline || reads < 50)
        {
            var list = await reader.GetInstancesAsync();
            Assert.Empty(list.Unreadable);
            Assert.Equal(5000, Assert.Single(list.Instances).Applications.Count);
            reads++;
        }

        await stop.CancelAsync();
        await writing;
        Assert.True(writes > 10, $"Only {writes} writes overlapped the reads.");
        Assert.Equal([InstanceFileName.Of("web-1")], Directory.GetFileSystemEntries(writer.InstancesPath).Select(p => Path.GetFileName(p)));
    }

    [Fact]
    public async Task Two_stores_over_one_folder_see_each_others_instances_and_remove_only_their_own()
    {
        var path = _dir.Combine("state.json");
        var first = FileStoreTestHelpers.Store(path);
        var second = FileStoreTestHelpers.Store(path);

        await first.ReportAsync(Report("web-1"));
        await second.ReportAsync(Report("web-2"));
        Assert.Equal(["web-1", "web-2"], (await first.GetInstancesAsync()).Instances.Select(i => i.InstanceId));
        Assert.Equal(["web-1", "web-2"], (await second.GetInstancesAsync()).Instances.Select(i => i.InstanceId));

        await second.RemoveAsync("web-1", "session-web-2");
        await first.RemoveAsync("web-2", "session-web-1");
        Assert.Equal(2, (await first.GetInstancesAsync()).Instances.Count);

        await second.RemoveAsync("web-2", "session-web-2");
        Assert.Equal("web-1", Assert.Single((await first.GetInstancesAsync()).Instances).InstanceId);
    }

    [Fact]
    public async Task Two_processes_claiming_one_id_share_one_entry_the_last_report_wins_and_the_older_cannot_remove_it()
    {
        var path = _dir.Combine("state.json");
        var first = FileStoreTestHelpers.Store(path);
        var second = FileStoreTestHelpers.Store(path);

        await first.ReportAsync(Report("web-1", session: "run-a") with { ProcessId = 100 });
        await second.ReportAsync(Report("web-1", session: "run-b") with { ProcessId = 200 });

        var claimed = Assert.Single((await first.GetInstancesAsync()).Instances);
        Assert.Equal(("run-b", 200), (claimed.SessionId, claimed.ProcessId));

        // The first process stops cleanly: its deregistration must not take the second one off the list.
        await first.RemoveAsync("web-1", "run-a");
        Assert.Equal("run-b", Assert.Single((await first.GetInstancesAsync()).Instances).SessionId);

        // Its next heartbeat takes the entry back: the file flips between them until one is renamed.
        await first.ReportAsync(Report("web-1", session: "run-a") with { ProcessId = 100 });
        Assert.Equal("run-a", Assert.Single((await second.GetInstancesAsync()).Instances).SessionId);
    }

    [Fact]
    public async Task Reports_long_gone_are_deleted_on_read_while_recently_gone_ones_stay_listed_as_not_live()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = _dir.Combine("state.json") }, timeProvider: time);
        await store.ReportAsync(Report("fast", TimeSpan.FromSeconds(5)));
        await store.ReportAsync(Report("slow", TimeSpan.FromHours(12)));
        await store.ReportAsync(Report("no-interval", TimeSpan.Zero));
        var fastFile = Path.Combine(store.InstancesPath, InstanceFileName.Of("fast"));

        // 16 s: "fast" missed three heartbeats: gone, but listed, so a wait can name it.
        time.Advance(TimeSpan.FromSeconds(16));
        var list = await store.GetInstancesAsync();
        Assert.Equal(["fast", "no-interval", "slow"], list.Instances.Select(i => i.InstanceId));
        Assert.Equal(["slow"], list.Live.Select(i => i.InstanceId));

        // 50 s is ten intervals: kept; past it, its file is deleted and it is off the list.
        time.Advance(TimeSpan.FromSeconds(34));
        Assert.Contains("fast", (await store.GetInstancesAsync()).Instances.Select(i => i.InstanceId));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["no-interval", "slow"], (await store.GetInstancesAsync()).Instances.Select(i => i.InstanceId));
        Assert.False(File.Exists(fastFile));

        // A day is the limit whatever the interval (ten times 12 h would be five days); with no interval too.
        time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(51));
        Assert.Equal(2, (await store.GetInstancesAsync()).Instances.Count);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty((await store.GetInstancesAsync()).Instances);
        Assert.Empty(Directory.GetFileSystemEntries(store.InstancesPath));
    }

    [Fact]
    public async Task A_temporary_file_a_crashed_writer_left_is_deleted_after_a_day_and_a_fresh_one_is_left_alone()
    {
        var store = FileStoreTestHelpers.Store(_dir.Combine("state.json"));
        await store.ReportAsync(Report("web-1"));
        var abandoned = Path.Combine(store.InstancesPath, $".{InstanceFileName.Of("web-2")}.0123.tmp");
        var writing = Path.Combine(store.InstancesPath, $".{InstanceFileName.Of("web-3")}.4567.tmp");
        await File.WriteAllTextAsync(abandoned, "{\"instanceId\":");
        await File.WriteAllTextAsync(writing, "{\"instanceId\":");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(writing, DateTime.UtcNow - TimeSpan.FromHours(23));

        var list = await store.GetInstancesAsync();

        Assert.Equal("web-1", Assert.Single(list.Instances).InstanceId);
        Assert.Empty(list.Unreadable);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(writing));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_watcher_hears_another_stores_report_even_when_the_folder_appears_only_later(bool fileSystemWatcher)
    {
        var path = _dir.Combine("later", "state.json");
        var watched = new FileMaintenanceStateStore(new FileStoreOptions { Path = path, PollInterval = TimeSpan.FromMilliseconds(200) }) { UseFileSystemWatcher = fileSystemWatcher };
        var writer = FileStoreTestHelpers.Store(path);
        var heard = new TaskCompletionSource<MaintenanceInstanceReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var watch = watched.WatchInstancesAsync(
            async ct =>
            {
                Interlocked.Increment(ref calls);
                if ((await watched.GetInstancesAsync(ct)).Instances.FirstOrDefault(i => i.InstanceId == "web-9") is { } report)
                {
                    heard.TrySetResult(report);
                }
            },
            stop.Token);
        await FileStoreTestHelpers.WaitUntilAsync(() => Volatile.Read(ref calls) >= 1, TimeSpan.FromSeconds(10), "the watch's first call");

        await writer.ReportAsync(Report("web-9") with { Drained = true });
        Assert.True((await heard.Task.WaitAsync(TimeSpan.FromSeconds(10))).Drained);

        // A heartbeat that changes the report in place is heard too.
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = Volatile.Read(ref calls);
        await writer.ReportAsync(Report("web-9") with { InFlightRequests = 3 });
        await FileStoreTestHelpers.WaitUntilAsync(() => Volatile.Read(ref calls) > before, TimeSpan.FromSeconds(10), "the watch hears the second report");

        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
