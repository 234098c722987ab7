using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

public sealed class FileMaintenanceStateStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Missing_file_means_no_state_not_an_error()
    {
        var store = Store(_dir.Combine("not-yet", "state.json"));

        Assert.Empty(await store.GetStatesAsync());
        Assert.Empty(await store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Saved_state_round_trips_with_every_field()
    {
        var path = _dir.Combine("nested", "state.json");
        var store = Store(path);
        var state = new MaintenanceState
        {
            Application = "Storefront",
            Enabled = true,
            Mode = MaintenanceMode.ReadOnly,
            Reason = "Release 42 \"quoted\" ünïcode",
            StartsAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
            EndsAt = new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero),
            AllowedNetworks = ["10.0.0.0/8", "2001:db8::/32"],
            ChangedBy = "cli:ops@build",
            ChangedAt = new DateTimeOffset(2026, 11, 25, 9, 59, 0, TimeSpan.Zero),
            Version = 1,
        };

        await store.SaveAsync(state, 0, Audit(state));

        var read = Assert.Single(await Store(path).GetStatesAsync());
        Assert.Equal(state with { AllowedNetworks = [] }, read with { AllowedNetworks = [] });
        Assert.Equal(state.AllowedNetworks, read.AllowedNetworks);
    }

    [Fact]
    public async Task State_file_has_the_documented_camel_case_format()
    {
        var path = _dir.Combine("state.json");
        var service = Service(Store(path));
        await service.EnableAsync("Storefront");
        await service.EnableAsync(MaintenanceState.AllApplications);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        var storefront = root.GetProperty("applications").GetProperty("Storefront");
        Assert.Equal("Storefront", storefront.GetProperty("application").GetString());
        Assert.True(storefront.GetProperty("enabled").GetBoolean());
        Assert.Equal("Full", storefront.GetProperty("mode").GetString());
        Assert.Equal(1, storefront.GetProperty("version").GetInt64());
        Assert.True(root.GetProperty("applications").TryGetProperty("*", out _));
    }

    [Fact]
    public async Task Stale_expected_version_is_a_conflict_and_writes_nothing()
    {
        var path = _dir.Combine("state.json");
        var store = Store(path);
        var service = Service(store);
        var first = await service.EnableAsync("Storefront");
        var stateBefore = await File.ReadAllBytesAsync(path);
        var auditBefore = await File.ReadAllBytesAsync(store.AuditPath);

        var stale = first with { Version = 2, Reason = "late" };
        var ex = await Assert.ThrowsAsync<MaintenanceConflictException>(() => store.SaveAsync(stale, 0, Audit(stale)));

        Assert.Equal(0, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
        Assert.Equal(stateBefore, await File.ReadAllBytesAsync(path));
        Assert.Equal(auditBefore, await File.ReadAllBytesAsync(store.AuditPath));
    }

    [Fact]
    public async Task Application_names_match_case_insensitively()
    {
        var store = Store(_dir.Combine("state.json"));
        var service = Service(store);
        await service.EnableAsync("Storefront");
        await service.DisableAsync("storefront");

        var state = Assert.Single(await store.GetStatesAsync());
        Assert.Equal(2, state.Version);
        Assert.False(state.Enabled);
    }

    [Fact]
    public async Task Atomic_writes_leave_no_temporary_files()
    {
        var path = _dir.Combine("state.json");
        var service = Service(Store(path));
        for (var i = 0; i < 5; i++)
        {
            await service.EnableAsync("Storefront");
            await service.DisableAsync("Storefront");
        }

        var names = Directory.GetFiles(_dir.Path).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal<string>(["state.audit.jsonl", "state.json", "state.json.lock"], names);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"version\":1,\"applications\":{\"Storefront\":{\"application\":\"Storefront\",\"enab")]
    [InlineData("not json at all")]
    [InlineData("{\"version\":1}")]
    [InlineData("{\"version\":1,\"applications\":{\"Storefront\":{\"application\":\"BackOffice\"}}}")]
    [InlineData("{\"version\":1,\"applications\":{\"Storefront\":{\"enabled\":true}}}")]
    [InlineData("null")]
    public async Task Corrupt_or_half_written_file_is_a_store_error_naming_the_file(string content)
    {
        var path = _dir.Combine("state.json");
        await File.WriteAllTextAsync(path, content);

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => Store(path).GetStatesAsync());

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_format_version_is_a_store_error()
    {
        var path = _dir.Combine("state.json");
        await File.WriteAllTextAsync(path, "{\"version\":2,\"applications\":{}}");

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => Store(path).GetStatesAsync());

        Assert.Contains("format version 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_over_a_corrupt_file_is_refused_and_the_file_is_kept_for_inspection()
    {
        var path = _dir.Combine("state.json");
        const string Corrupt = "{\"version\":1,\"applications\":{\"Storefront\":";
        await File.WriteAllTextAsync(path, Corrupt);
        var logger = new FakeLogger<FileMaintenanceStateStore>();
        var store = Store(path, logger);

        var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => Service(store).EnableAsync("Storefront"));
        var direct = MaintenanceState.Off("Storefront") with { Enabled = true, Version = 1 };
        var ex2 = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.SaveAsync(direct, 0, Audit(direct)));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("kept as it is for inspection", ex2.Message, StringComparison.Ordinal);
        Assert.Equal(Corrupt, await File.ReadAllTextAsync(path));
        Assert.False(File.Exists(store.AuditPath));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 47 && r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Audit_trail_is_newest_first_filtered_by_application_and_limited()
    {
        var store = Store(_dir.Combine("state.json"));
        var service = Service(store);
        await service.EnableAsync("Storefront", "one");
        await service.EnableAsync("BackOffice", "two");
        await service.DisableAsync("Storefront", "three");
        await service.EnableAsync(MaintenanceState.AllApplications, "four");

        var all = await store.GetAuditTrailAsync();
        Assert.Equal(["four", "three", "two", "one"], all.Select(e => e.Reason));
        var storefront = await store.GetAuditTrailAsync("storefront");
        Assert.Equal(["three", "one"], storefront.Select(e => e.Reason));
        Assert.Equal([MaintenanceAction.Disable, MaintenanceAction.Enable], storefront.Select(e => e.Action));
        Assert.Equal(["four", "three"], (await store.GetAuditTrailAsync(limit: 2)).Select(e => e.Reason));
        Assert.Empty(await store.GetAuditTrailAsync(limit: 0));

        var latest = storefront[0];
        Assert.True(latest.Before.Enabled);
        Assert.False(latest.After.Enabled);
        Assert.Equal(2, latest.After.Version);
        Assert.Equal("test", latest.Actor);
    }

    [Fact]
    public async Task Audit_file_is_appended_one_json_line_per_change_and_never_rewritten()
    {
        var store = Store(_dir.Combine("state.json"));
        var service = Service(store);
        await service.EnableAsync("Storefront", "one");
        var first = await File.ReadAllBytesAsync(store.AuditPath);
        await service.DisableAsync("Storefront", "two");
        var second = await File.ReadAllBytesAsync(store.AuditPath);

        Assert.Equal(first, second.AsSpan(0, first.Length).ToArray());
        var lines = (await File.ReadAllLinesAsync(store.AuditPath)).Where(l => l.Length > 0).ToArray();
        Assert.Equal(2, lines.Length);
        using var line = JsonDocument.Parse(lines[1]);
        Assert.Equal("Disable", line.RootElement.GetProperty("action").GetString());
        Assert.Equal("two", line.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Corrupt_audit_line_is_skipped_with_a_warning()
    {
        var logger = new FakeLogger<FileMaintenanceStateStore>();
        var store = Store(_dir.Combine("state.json"), logger);
        var service = Service(store);
        await service.EnableAsync("Storefront", "one");
        await File.AppendAllTextAsync(store.AuditPath, "{ this is not an audit entry\n");
        await service.DisableAsync("Storefront", "two");

        var trail = await store.GetAuditTrailAsync();

        Assert.Equal(["two", "one"], trail.Select(e => e.Reason));
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 42);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("line 2", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_line_torn_by_a_crash_does_not_spoil_the_next_entry()
    {
        var store = Store(_dir.Combine("state.json"));
        var service = Service(store);
        await service.EnableAsync("Storefront", "one");
        await File.AppendAllTextAsync(store.AuditPath, "{\"timestamp\":\"2026-");

        Assert.Equal(["one"], (await store.GetAuditTrailAsync()).Select(e => e.Reason));

        await service.DisableAsync("Storefront", "two");
        Assert.Equal(["two", "one"], (await store.GetAuditTrailAsync()).Select(e => e.Reason));
    }

    [Fact]
    public async Task Lock_held_elsewhere_times_out_with_a_clear_store_error_and_writes_nothing()
    {
        var path = _dir.Combine("state.json");
        var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = path, LockTimeout = TimeSpan.FromMilliseconds(300) });
        await using (new FileStream(store.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var ex = await Assert.ThrowsAsync<MaintenanceStoreException>(() => Service(store).EnableAsync("Storefront"));
            Assert.Contains(store.LockPath, ex.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(path));
        await Service(store).EnableAsync("Storefront");
        Assert.Single(await store.GetStatesAsync());
    }

    [Fact]
    public async Task Relative_path_resolves_against_the_content_root()
    {
        var environment = new HostingEnvironment { ContentRootPath = _dir.Path };
        var store = new FileMaintenanceStateStore(Microsoft.Extensions.Options.Options.Create(new FileStoreOptions { Path = "App_Data/maintenance/state.json" }), environment);

        Assert.Equal(_dir.Combine("App_Data", "maintenance", "state.json"), store.StatePath);
        Assert.Equal(_dir.Combine("App_Data", "maintenance", "state.audit.jsonl"), store.AuditPath);
        Assert.Equal(_dir.Combine("App_Data", "maintenance", "state.json.lock"), store.LockPath);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_configuration_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FileMaintenanceStateStore(new FileStoreOptions { Path = _dir.Combine("s.json"), PollInterval = TimeSpan.Zero }));
        Assert.Contains("MaintenanceMode:FileStore:PollInterval", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_reports_a_change_written_through_another_store_instance()
    {
        var path = _dir.Combine("watched", "state.json");
        var watching = Store(path, pollInterval: TimeSpan.FromSeconds(30));
        var calls = 0;
        using var cts = new CancellationTokenSource();
        var watch = watching.WatchAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, cts.Token);
        await WaitUntilAsync(() => Volatile.Read(ref calls) >= 1, TimeSpan.FromSeconds(5), "the initial call");
        var before = Volatile.Read(ref calls);

        await Service(Store(path)).EnableAsync("Storefront");

        // The poll interval is 30 s here, so only the watcher can report this in time.
        await WaitUntilAsync(() => Volatile.Read(ref calls) > before, TimeSpan.FromSeconds(5), "the watcher reports the write");
        await cts.CancelAsync();
        await watch;
    }

    [Fact]
    public async Task Polling_alone_notices_a_change_where_no_watcher_fires()
    {
        var path = _dir.Combine("state.json");
        var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = path, PollInterval = TimeSpan.FromMilliseconds(100) }) { UseFileSystemWatcher = false };
        await Service(store).EnableAsync("Storefront");
        var calls = 0;
        using var cts = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, cts.Token);
        await WaitUntilAsync(() => Volatile.Read(ref calls) >= 1, TimeSpan.FromSeconds(5), "the initial call");
        var before = Volatile.Read(ref calls);

        // Rewrite the file with a different length and time, as an editor on a network share would.
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text.Replace("Release 42", "Release 43 (edited)", StringComparison.Ordinal));

        await WaitUntilAsync(() => Volatile.Read(ref calls) > before, TimeSpan.FromSeconds(2), "the poll reports the edit");
        await cts.CancelAsync();
        await watch;
    }

    private static MaintenanceAuditEntry Audit(MaintenanceState after) => new()
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
