using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>
/// The file store's instance files as files: what a bad entry in <c>state.instances/</c> reads as, how ids become
/// file names, and that reading never creates a folder (the conformance suite covers the registry contract).
/// </summary>
public sealed partial class FileStoreInstanceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Corrupt_empty_truncated_directory_and_fifo_entries_are_named_as_unreadable_and_the_others_still_list()
    {
        var store = FileStoreTestHelpers.Store(_dir.Combine("state.json"));
        await store.ReportAsync(Report("web-1"));
        await store.ReportAsync(Report("web-2"));
        var folder = store.InstancesPath;
        var good = Path.Combine(folder, InstanceFileName.Of("web-1"));
        var bytes = await File.ReadAllBytesAsync(good);

        await File.WriteAllBytesAsync(Path.Combine(folder, "empty.json"), []);
        await File.WriteAllBytesAsync(Path.Combine(folder, "bad\u202Eevil.json"), []);
        await File.WriteAllTextAsync(Path.Combine(folder, "corrupt.json"), "garbage{");
        await File.WriteAllBytesAsync(Path.Combine(folder, "truncated.json"), bytes[..(bytes.Length / 2)]);
        await File.WriteAllTextAsync(Path.Combine(folder, "other.json"), """{"name":"not a report"}""");
        File.Copy(good, Path.Combine(folder, "copy.json"));
        var never = Report("never") with { HeartbeatInterval = TimeSpan.MaxValue };
        await File.WriteAllBytesAsync(Path.Combine(folder, InstanceFileName.Of("never")), JsonSerializer.SerializeToUtf8Bytes(never, MaintenanceStoreJson.InstanceReport));
        Directory.CreateDirectory(Path.Combine(folder, "dir.json"));
        MakeFifo(Path.Combine(folder, "pipe.json"));

        // Ignored without a word: a report being written (a temporary file) and files that are not reports.
        await File.WriteAllTextAsync(Path.Combine(folder, $".{InstanceFileName.Of("web-3")}.0123.tmp"), "{");
        await File.WriteAllTextAsync(Path.Combine(folder, "README.txt"), "notes");

        // The FIFO has no writer: a blocking open would never return.
        var list = await store.GetInstancesAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["web-1", "web-2"], list.Instances.Select(i => i.InstanceId));
        Assert.Equal(
            [
                "state.instances/bad\\u202Eevil.json: empty",
                $"state.instances/copy.json: holds the report of 'web-1', whose file is '{InstanceFileName.Of("web-1")}'",
                $"state.instances/corrupt.json: not JSON ({JsonError("garbage{"u8.ToArray())})",
                "state.instances/dir.json: a directory",
                "state.instances/empty.json: empty",
                $"state.instances/{InstanceFileName.Of("never")}: not an instance report (its heartbeat interval {TimeSpan.MaxValue} is negative or longer than a day)",
                $"state.instances/other.json: not an instance report ({ReportError("""{"name":"not a report"}"""u8.ToArray())})",
                "state.instances/pipe.json: not a regular file (a FIFO, socket or device)",
                $"state.instances/truncated.json: not JSON ({JsonError(bytes[..(bytes.Length / 2)])})",
            ],
            list.Unreadable);

        // A bad entry never blocks a write or a removal either.
        await store.ReportAsync(Report("web-3"));
        await store.RemoveAsync("web-2", "session-web-2");
        Assert.Equal(["web-1", "web-3"], (await store.GetInstancesAsync()).Instances.Select(i => i.InstanceId));
    }

    [Fact]
    public async Task A_file_in_place_of_the_instances_folder_is_named_on_read_and_refused_on_report()
    {
        var store = FileStoreTestHelpers.Store(_dir.Combine("state.json"));
        await File.WriteAllTextAsync(store.InstancesPath, "a file");

        var list = await store.GetInstancesAsync();
        Assert.Empty(list.Instances);
        Assert.Equal(["state.instances: a file, not a folder"], list.Unreadable);

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.ReportAsync(Report("web-1")));
        Assert.StartsWith($"Could not create the folder '{store.InstancesPath}' for the maintenance instance files: '{store.InstancesPath}' is a file, not a folder (the system reports: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(") Nothing was written.", error.Message, StringComparison.Ordinal);
        await store.RemoveAsync("web-1", "session-web-1");
    }

    [Fact]
    public async Task A_folder_above_that_is_a_file_is_a_store_error_naming_it()
    {
        var blocker = _dir.Combine("blocker");
        await File.WriteAllTextAsync(blocker, "a file");
        var store = FileStoreTestHelpers.Store(Path.Combine(blocker, "state.json"));

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetInstancesAsync());
        Assert.StartsWith($"Could not read the maintenance instance files in '{store.InstancesPath}': '{blocker}' is a file, not a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_lists_no_instance_and_reading_removing_and_watching_create_nothing()
    {
        var folder = _dir.Combine("never", "made");
        var store = FileStoreTestHelpers.Store(Path.Combine(folder, "state.json"));

        var list = await store.GetInstancesAsync();
        Assert.Empty(list.Instances);
        Assert.Empty(list.Unreadable);
        await store.RemoveAsync("web-1", "session-web-1");

        var calls = 0;
        using (var stop = new CancellationTokenSource())
        {
            var watch = store.WatchInstancesAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, stop.Token);
            await FileStoreTestHelpers.WaitUntilAsync(() => Volatile.Read(ref calls) >= 1, TimeSpan.FromSeconds(10), "the watch's first call");
            await Task.Delay(500); // Two polls of 200 ms.
            await stop.CancelAsync();
            await watch.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.False(Directory.Exists(_dir.Combine("never")), "A read, a removal or a watch created a folder.");

        // A report (an instance of a host) does create it, as a change creates the state file's folder.
        await store.ReportAsync(Report("web-1"));
        Assert.True(File.Exists(Path.Combine(store.InstancesPath, InstanceFileName.Of("web-1"))));
    }

    [Fact]
    public async Task Ids_become_short_safe_distinct_names_inside_the_folder_and_the_file_keeps_the_exact_id()
    {
        var store = FileStoreTestHelpers.Store(_dir.Combine("state.json"));
        string[] ids = ["web/1", "web\\1", "..", "../../escape", "WEB-1", "web-1", "wéb 1:8080", "CON", "", new string('x', 200), ".hidden"];
        foreach (var id in ids)
        {
            await store.ReportAsync(Report(id));
        }

        // Nothing but the folder and one file per id, directly in it: no id reaches another folder.
        var everything = Directory.GetFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(_dir.Path, p)).ToArray();
        var files = Directory.GetFiles(store.InstancesPath).Select(p => Path.GetFileName(p)).ToArray();
        Assert.Equal(ids.Length + 1, everything.Length);
        Assert.Contains("state.instances", everything);
        Assert.Equal(ids.Length, files.Length);
        Assert.All(files, f => Assert.Matches(SafeName(), f));

        // Case-only differences get different hashes, so they stay apart on a case-insensitive file system too.
        Assert.Equal(ids.Length, files.Select(f => f.ToUpperInvariant()).Distinct().Count());
        Assert.Equal("web_1-", InstanceFileName.Of("web/1")[..6]);
        Assert.Equal("instance-", InstanceFileName.Of("")[..9]);
        Assert.Equal("_hidden-", InstanceFileName.Of(".hidden")[..8]);
        Assert.Equal(40 + 1 + 16 + 5, InstanceFileName.Of(new string('x', 200)).Length);

        var json = await File.ReadAllTextAsync(Path.Combine(store.InstancesPath, InstanceFileName.Of("wéb 1:8080")), Encoding.UTF8);
        Assert.Equal("wéb 1:8080", JsonSerializer.Deserialize(json, MaintenanceStoreJson.InstanceReport)!.InstanceId);
        Assert.Equal(ids.Order(StringComparer.Ordinal), (await store.GetInstancesAsync()).Instances.Select(i => i.InstanceId));
    }

    internal static MaintenanceInstanceReport Report(string id, TimeSpan? interval = null, string? session = null) => new()
    {
        InstanceId = id,
        SessionId = session ?? "session-" + id,
        Application = "Storefront",
        HostName = "host-a",
        ProcessId = 1,
        StartedAt = DateTimeOffset.UtcNow,
        HeartbeatInterval = interval ?? TimeSpan.FromSeconds(5),
        AppliedVersions = new Dictionary<string, long> { ["Storefront"] = 1 },
    };

    private static string JsonError(byte[] bytes) => Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes)).Message;

    private static string ReportError(byte[] bytes) => Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(bytes, MaintenanceStoreJson.InstanceReport)).Message;

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,39}-[0-9a-f]{16}\\.json$")]
    private static partial Regex SafeName();
}
