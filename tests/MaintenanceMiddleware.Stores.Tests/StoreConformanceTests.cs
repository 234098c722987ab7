using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>
/// The contract of <see cref="IMaintenanceStateStore"/>, tested once for every store. A store author derives a class
/// that opens stores over one fresh, empty backing per test (xunit creates a class instance per test), and runs it.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private readonly List<IMaintenanceStateStore> _opened = [];

    /// <summary>
    /// Opens a store over this test's backing: empty at the first call, and each call another instance over the same
    /// backing, as another app instance would open it (a store that lives in one process returns the same instance).
    /// </summary>
    protected abstract Task<IMaintenanceStateStore> OpenStoreAsync();

    /// <summary>How long a watcher may take to report a change made by another instance.</summary>
    protected virtual TimeSpan WatchLatency => TimeSpan.FromSeconds(5);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened.Distinct())
        {
            if (store is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                (store as IDisposable)?.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_new_store_reads_no_state_and_no_audit()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.GetStatesAsync());
        Assert.Empty(await store.GetAuditTrailAsync());
        Assert.Empty(await store.GetAuditTrailAsync("Storefront"));
    }

    [Fact]
    public async Task A_saved_state_reads_back_with_every_field_from_another_instance()
    {
        var endsAt = new DateTimeOffset(2031, 5, 4, 3, 2, 1, TimeSpan.Zero);
        var state = new MaintenanceState
        {
            Application = "Storefront",
            Enabled = true,
            Mode = MaintenanceMode.ReadOnly,
            Reason = "Release 42",
            StartsAt = endsAt.AddHours(-2),
            EndsAt = endsAt,
            AllowedNetworks = ["10.0.0.0/8", "2001:db8::/32"],
            ChangedBy = "alice",
            ChangedAt = endsAt.AddHours(-3),
            Version = 1,
        };
        await (await OpenAsync()).SaveAsync(state, 0, Audit(state, "Release 42"));

        var read = Assert.Single(await (await OpenAsync()).GetStatesAsync());
        Assert.Equal(state with { AllowedNetworks = [] }, read with { AllowedNetworks = [] });
        Assert.Equal(state.AllowedNetworks, read.AllowedNetworks);
        var entry = Assert.Single(await (await OpenAsync()).GetAuditTrailAsync());
        Assert.Equal("alice", entry.Actor);
        Assert.Equal(MaintenanceAction.Enable, entry.Action);
        Assert.Equal(1, entry.After.Version);
        Assert.False(entry.Before.Enabled);
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_that_writes_neither_state_nor_audit()
    {
        var store = await OpenAsync();
        var first = On("Storefront", 1, "first");
        await store.SaveAsync(first, 0, Audit(first, "first"));

        var late = On("Storefront", 1, "late");
        var conflict = await Assert.ThrowsAsync<MaintenanceConflictException>(() => store.SaveAsync(late, 0, Audit(late, "late")));
        Assert.Equal(1, conflict.ActualVersion);
        Assert.Equal(0, conflict.ExpectedVersion);
        var ahead = On("Storefront", 6, "ahead");
        conflict = await Assert.ThrowsAsync<MaintenanceConflictException>(() => store.SaveAsync(ahead, 5, Audit(ahead, "ahead")));
        Assert.Equal(1, conflict.ActualVersion);
        var never = On("BackOffice", 3, "never");
        conflict = await Assert.ThrowsAsync<MaintenanceConflictException>(() => store.SaveAsync(never, 2, Audit(never, "never")));
        Assert.Equal(0, conflict.ActualVersion);

        var reader = await OpenAsync();
        Assert.Equal("first", Assert.Single(await reader.GetStatesAsync()).Reason);
        Assert.Equal(["first"], (await reader.GetAuditTrailAsync()).Select(e => e.Reason));
    }

    [Fact]
    public async Task Application_names_differing_only_in_letter_case_are_one_application()
    {
        var store = await OpenAsync();
        var a = On("Storefront", 1, "a");
        await store.SaveAsync(a, 0, Audit(a, "a"));
        var b = On("STOREFRONT", 1, "b");
        await Assert.ThrowsAsync<MaintenanceConflictException>(() => store.SaveAsync(b, 0, Audit(b, "b")));
        var c = On("storefront", 2, "c");
        await store.SaveAsync(c, 1, Audit(c, "c"));

        Assert.Equal(2, Assert.Single(await store.GetStatesAsync()).Version);
        Assert.Equal(["c", "a"], (await store.GetAuditTrailAsync("STOREFRONT")).Select(e => e.Reason));
    }

    [Fact]
    public async Task The_audit_trail_is_newest_first_filtered_per_application_and_limited()
    {
        var store = await OpenAsync();
        var versions = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (application, reason) in (List<(string, string)>)[("Storefront", "one"), ("*", "two"), ("BackOffice", "three"), ("Storefront", "four"), ("*", "five")])
        {
            var version = versions.GetValueOrDefault(application) + 1;
            versions[application] = version;
            var state = On(application, version, reason);
            await store.SaveAsync(state, version - 1, Audit(state, reason));
        }

        var reader = await OpenAsync();
        Assert.Equal(["five", "four", "three", "two", "one"], (await reader.GetAuditTrailAsync()).Select(e => e.Reason));
        Assert.Equal(["four", "one"], (await reader.GetAuditTrailAsync("storefront")).Select(e => e.Reason));
        Assert.Equal(["five", "two"], (await reader.GetAuditTrailAsync("*")).Select(e => e.Reason));
        Assert.Equal(["five", "four"], (await reader.GetAuditTrailAsync(limit: 2)).Select(e => e.Reason));
        Assert.Equal(["four"], (await reader.GetAuditTrailAsync("Storefront", limit: 1)).Select(e => e.Reason));
        Assert.Empty(await reader.GetAuditTrailAsync(limit: 0));
        Assert.Empty(await reader.GetAuditTrailAsync("Nobody"));
        Assert.Equal(3, (await reader.GetStatesAsync()).Count);
    }

    [Fact]
    public async Task A_watcher_hears_of_a_change_made_by_another_instance()
    {
        var watched = await OpenAsync();
        var calls = 0;
        var counting = 0;
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var watch = watched.WatchAsync(
            _ =>
            {
                Interlocked.Increment(ref calls);
                if (Volatile.Read(ref counting) == 1)
                {
                    heard.TrySetResult();
                }

                return Task.CompletedTask;
            },
            stop.Token);

        // Let the watch settle (subscribe, first load), then only count what follows the save.
        await SettleAsync(() => Volatile.Read(ref calls), initialReport: false);
        Volatile.Write(ref counting, 1);
        var state = On("Storefront", 1, "watched");
        await (await OpenAsync()).SaveAsync(state, 0, Audit(state, "watched"));

        await heard.Task.WaitAsync(WatchLatency);
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_watch_reports_once_when_it_starts()
    {
        var store = await OpenAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => { started.TrySetResult(); return Task.CompletedTask; }, stop.Token);

        await started.Task.WaitAsync(WatchLatency);
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_exception_from_the_callback_ends_the_watch_with_that_exception()
    {
        var store = await OpenAsync();
        using var stop = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => throw new CallbackFailedException("the read failed"), stop.Token);

        var error = await Assert.ThrowsAsync<CallbackFailedException>(() => watch.WaitAsync(WatchLatency));
        Assert.Equal("the read failed", error.Message);
    }

    [Fact]
    public async Task Concurrent_writers_each_success_writes_exactly_one_audit_entry_with_consecutive_versions()
    {
        const int writers = 4;
        const int changesEach = 5;
        var stores = new List<IMaintenanceStateStore>();
        for (var i = 0; i < writers; i++)
        {
            stores.Add(await OpenAsync());
        }

        var conflicts = 0;
        await Task.WhenAll(stores.Select((store, writer) => Task.Run(async () =>
        {
            for (var done = 0; done < changesEach;)
            {
                var current = (await store.GetStatesAsync()).SingleOrDefault()?.Version ?? 0;
                var next = On("Storefront", current + 1, $"writer {writer} change {done}");
                try
                {
                    await store.SaveAsync(next, current, Audit(next, next.Reason!));
                    done++;
                }
                catch (MaintenanceConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));

        var audit = await (await OpenAsync()).GetAuditTrailAsync(limit: 1000);
        Assert.Equal(writers * changesEach, audit.Count);
        Assert.Equal(Enumerable.Range(1, writers * changesEach).Reverse().Select(v => (long)v), audit.Select(e => e.After.Version));
        Assert.Equal(writers * changesEach, Assert.Single(await stores[0].GetStatesAsync()).Version);
        Assert.Equal(audit.Select(e => e.Reason).Distinct().Count(), audit.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(1)]
    public async Task Long_and_unicode_reasons_round_trip_unchanged(int length)
    {
        const string Pieces = "Wartung ✓ 维护 صيانة 🚧 e\u0301 \"quoted\" <b>&amp;</b> \\ / ";
        var reason = string.Concat(Enumerable.Repeat(Pieces, (length / Pieces.Length) + 1))[..length];
        if (char.IsHighSurrogate(reason[^1]))
        {
            reason = reason[..^1] + "x";
        }

        var state = On("Storefront", 1, reason);
        await (await OpenAsync()).SaveAsync(state, 0, Audit(state, reason));

        var reader = await OpenAsync();
        Assert.Equal(reason, Assert.Single(await reader.GetStatesAsync()).Reason);
        var entry = Assert.Single(await reader.GetAuditTrailAsync());
        Assert.Equal(reason, entry.Reason);
        Assert.Equal(reason, entry.After.Reason);
    }

    /// <summary>Opens a store and remembers it for disposal.</summary>
    protected async Task<IMaintenanceStateStore> OpenAsync()
    {
        var store = await OpenStoreAsync();
        _opened.Add(store);
        return store;
    }
}
