using MaintenanceMiddleware;

using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Control;

public class ServiceTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);
    private static readonly MaintenanceActor s_actor = new("alice", "10.0.0.5");

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly InMemoryMaintenanceStateStore _store = new();

    private MaintenanceModeService CreateService(Action<MaintenanceModeOptions>? configure = null)
    {
        var options = new MaintenanceModeOptions { Application = "Storefront" };
        options.Applications.Add("BackOffice");
        configure?.Invoke(options);
        return new MaintenanceModeService(_store, Microsoft.Extensions.Options.Options.Create(options), _time);
    }

    [Fact]
    public async Task Enable_writes_state_and_audit_entry_together()
    {
        var service = CreateService();

        var state = await service.EnableAsync(new() { Application = "Storefront", Reason = "Release 42", Duration = TimeSpan.FromMinutes(15), Actor = s_actor });

        Assert.True(state.Enabled);
        Assert.Equal(1, state.Version);
        Assert.Equal(s_now.AddMinutes(15), state.EndsAt);
        Assert.Equal("alice", state.ChangedBy);
        Assert.Equal(s_now, state.ChangedAt);
        var entry = Assert.Single(await service.GetAuditTrailAsync());
        Assert.Equal(MaintenanceAction.Enable, entry.Action);
        Assert.Equal("Storefront", entry.Application);
        Assert.Equal("Release 42", entry.Reason);
        Assert.Equal("alice", entry.Actor);
        Assert.Equal("10.0.0.5", entry.Source);
        Assert.Equal(s_now, entry.Timestamp);
        Assert.False(entry.Before.Enabled);
        Assert.Equal(0, entry.Before.Version);
        Assert.Equal(state, entry.After);
    }

    [Fact]
    public async Task Status_reflects_enable_then_disable_and_window_end()
    {
        var service = CreateService();
        Assert.False((await service.GetStatusAsync()).IsActive);

        await service.EnableAsync(new() { Application = "Storefront", Reason = "Release 42", Duration = TimeSpan.FromMinutes(15), Actor = s_actor });
        var on = await service.GetStatusAsync();
        Assert.Equal("Storefront", on.Application);
        Assert.True(on.IsActive);
        Assert.Equal("Release 42", on.Effective.Reason);

        _time.Advance(TimeSpan.FromMinutes(16));
        Assert.False((await service.GetStatusAsync()).IsActive);

        await service.EnableAsync(new() { Application = "Storefront", Reason = "Again", Actor = s_actor });
        var off = await service.DisableAsync(new() { Application = "Storefront", Reason = "Release 42 done", Actor = s_actor });
        Assert.False(off.Enabled);
        Assert.Equal(3, off.Version);
        Assert.Null(off.EndsAt);
        Assert.False((await service.GetStatusAsync("Storefront")).IsActive);

        var trail = await service.GetAuditTrailAsync("Storefront");
        Assert.Equal([MaintenanceAction.Disable, MaintenanceAction.Enable, MaintenanceAction.Enable], trail.Select(e => e.Action));
        Assert.Equal("Release 42 done", trail[0].Reason);
        Assert.True(trail[0].Before.Enabled);
        Assert.False(trail[0].After.Enabled);
    }

    [Fact]
    public async Task Environment_wide_entry_takes_every_application_down()
    {
        var service = CreateService();
        await service.EnableAsync(new() { Reason = "Database upgrade", Actor = s_actor });

        var storefront = await service.GetStatusAsync("Storefront");
        var backOffice = await service.GetStatusAsync("BackOffice");
        Assert.True(storefront.IsActive);
        Assert.True(backOffice.IsActive);
        Assert.Equal(MaintenanceState.AllApplications, storefront.Effective.Application);
        Assert.True((await service.GetStatusAsync(MaintenanceState.AllApplications)).IsActive);
    }

    [Fact]
    public async Task Scheduled_window_is_not_active_before_it_starts()
    {
        var service = CreateService();
        await service.EnableAsync(new() { Application = "Storefront", Reason = "Tonight", StartsAt = s_now.AddHours(1), Duration = TimeSpan.FromMinutes(30), Actor = s_actor });

        var before = await service.GetStatusAsync();
        Assert.False(before.IsActive);
        Assert.Equal(s_now.AddHours(1).AddMinutes(30), before.Own.EndsAt);
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.True((await service.GetStatusAsync()).IsActive);
    }

    [Fact]
    public async Task Audit_limit_and_application_filter_apply_newest_first()
    {
        var service = CreateService();
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await service.EnableAsync(new() { Application = "BackOffice", Reason = $"Change {i}", Actor = s_actor });
        }

        await service.EnableAsync(new() { Application = "Storefront", Reason = "Other", Actor = s_actor });

        var two = await service.GetAuditTrailAsync("BackOffice", limit: 2);
        Assert.Equal(["Change 2", "Change 1"], two.Select(e => e.Reason));
        Assert.Equal(4, (await service.GetAuditTrailAsync()).Count);
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.GetAuditTrailAsync(limit: 0));
        Assert.Equal("limit", ex.Field);
    }

    public static TheoryData<string?, string> BadReasons => new()
    {
        { null, "required" },
        { "", "required" },
        { "   ", "required" },
        { new string('x', 501), "500" },
        { "line one\nline two", "control character" },
        { "bell\u0007", "control character" },
        { "Release \u202E24 esaeler", "format character" },
        { "zero\u200Bwidth", "format character" },
        { "line\u2028separator", "line separator" },
        { "paragraph\u2029separator", "paragraph separator" },
    };

    [Theory]
    [MemberData(nameof(BadReasons))]
    public async Task Bad_reason_is_refused_and_changes_nothing(string? reason, string expected)
    {
        var service = CreateService();

        var enable = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.EnableAsync(new() { Application = "Storefront", Reason = reason!, Actor = s_actor }));
        var disable = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.DisableAsync(new() { Application = "Storefront", Reason = reason!, Actor = s_actor }));

        Assert.Equal("reason", enable.Field);
        Assert.Contains(expected, enable.Message, StringComparison.Ordinal);
        Assert.Equal("reason", disable.Field);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task Reason_of_exactly_500_characters_is_accepted()
    {
        var state = await CreateService().EnableAsync(new() { Application = "Storefront", Reason = new string('x', 500), Actor = s_actor });
        Assert.Equal(500, state.Reason!.Length);
    }

    [Fact]
    public async Task End_before_start_is_refused()
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", StartsAt = s_now.AddHours(2), EndsAt = s_now.AddHours(1), Actor = s_actor,
        }));
        Assert.Equal("endsAt", ex.Field);
        Assert.Contains("not after the start", ex.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task End_in_the_past_is_refused()
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", EndsAt = s_now.AddSeconds(-1), Actor = s_actor,
        }));
        Assert.Equal("endsAt", ex.Field);
        Assert.Contains("in the past", ex.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(400 * 24 * 3600)]
    public async Task Duration_must_be_positive_and_bounded(int seconds)
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", Duration = TimeSpan.FromSeconds(seconds), Actor = s_actor,
        }));
        Assert.Equal("duration", ex.Field);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task Start_near_year_9999_plus_a_duration_is_refused_naming_the_start_not_an_overflow()
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", StartsAt = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), Duration = TimeSpan.FromDays(2), Actor = s_actor,
        }));
        Assert.Equal("startsAt", ex.Field);
        Assert.Contains("more than 366 days away", ex.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task End_at_the_largest_time_is_refused_naming_the_end()
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", EndsAt = DateTimeOffset.MaxValue, Actor = s_actor,
        }));
        Assert.Equal("endsAt", ex.Field);
        Assert.Contains("more than 366 days away", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public async Task Negative_expected_version_is_invalid_not_a_conflict(long version)
    {
        var service = CreateService();

        var enable = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.EnableAsync(new() { Application = "Storefront", Reason = "x", ExpectedVersion = version, Actor = s_actor }));
        var disable = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.DisableAsync(new() { Application = "Storefront", Reason = "x", ExpectedVersion = version, Actor = s_actor }));

        Assert.Equal("expectedVersion", enable.Field);
        Assert.Contains("0 or more", enable.Message, StringComparison.Ordinal);
        Assert.Equal("expectedVersion", disable.Field);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task Expected_version_0_is_a_state_never_switched()
    {
        var state = await CreateService().EnableAsync(new() { Application = "Storefront", Reason = "x", ExpectedVersion = 0, Actor = s_actor });
        Assert.Equal(1, state.Version);
    }

    [Fact]
    public async Task Factory_builds_the_hosted_implementation_and_accepts_any_valid_name_without_options()
    {
        var service = MaintenanceModeServiceFactory.Create(_store, timeProvider: _time);

        var state = await service.EnableAsync(new() { Application = "Warehouse", Reason = "x", Actor = s_actor });
        var bad = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.EnableAsync(new() { Application = "a/b", Reason = "x", Actor = s_actor }));

        Assert.Equal(1, state.Version);
        Assert.Equal("application", bad.Field);
        Assert.IsType<MaintenanceModeService>(service);
    }

    [Fact]
    public async Task End_time_and_duration_together_are_refused()
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", EndsAt = s_now.AddHours(1), Duration = TimeSpan.FromHours(1), Actor = s_actor,
        }));
        Assert.Equal("endsAt", ex.Field);
    }

    [Theory]
    [InlineData("Warehouse")]
    [InlineData("../etc")]
    [InlineData("Store front")]
    [InlineData("")]
    public async Task Unknown_or_invalid_application_is_refused(string application)
    {
        var service = CreateService();

        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.EnableAsync(new() { Application = application, Reason = "x", Actor = s_actor }));
        Assert.Equal("application", ex.Field);
        await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.GetStatusAsync(application));
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task Unknown_application_message_lists_the_known_ones()
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new() { Application = "Warehouse", Reason = "x", Actor = s_actor }));
        Assert.Contains("Unknown application 'Warehouse'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Storefront, BackOffice, *", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Storefront", "Storefront")]
    [InlineData("storefront", "Storefront")]
    [InlineData("BACKOFFICE", "BackOffice")]
    [InlineData("*", "*")]
    public async Task Known_applications_are_own_listed_and_all_in_their_configured_spelling(string given, string stored)
    {
        var state = await CreateService().EnableAsync(new() { Application = given, Reason = "x", Actor = s_actor });
        Assert.Equal(stored, state.Application);
    }

    [Fact]
    public async Task Any_valid_application_is_accepted_when_the_service_allows_any()
    {
        var service = new MaintenanceModeService(_store, Microsoft.Extensions.Options.Options.Create(new MaintenanceModeOptions { Application = "Storefront" }), _time) { AllowAnyApplication = true };

        var state = await service.EnableAsync(new() { Application = "Warehouse", Reason = "x", Actor = s_actor });
        Assert.Equal("Warehouse", state.Application);
        await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.EnableAsync(new() { Application = "a/b", Reason = "x", Actor = s_actor }));
    }

    [Theory]
    [InlineData("10.0.0.300")]
    [InlineData("10.0.0.0/33")]
    [InlineData("not-an-ip")]
    [InlineData("")]
    public async Task Extra_networks_are_validated(string network)
    {
        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", AllowedNetworks = ["192.168.1.0/24", network], Actor = s_actor,
        }));
        Assert.Equal("allowedNetworks", ex.Field);
        Assert.StartsWith("Entry 1:", ex.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task Extra_networks_are_stored_normalised()
    {
        var state = await CreateService().EnableAsync(new()
        {
            Application = "Storefront", Reason = "x", AllowedNetworks = ["203.0.113.7", "2001:db8::/32", "::ffff:10.1.2.3", "203.0.113.7"], Actor = s_actor,
        });
        Assert.Equal(["203.0.113.7/32", "2001:db8::/32", "10.1.2.3/32"], state.AllowedNetworks);
    }

    [Fact]
    public async Task Stale_expected_version_is_a_conflict_and_changes_nothing()
    {
        var service = CreateService();
        await service.EnableAsync(new() { Application = "Storefront", Reason = "first", Actor = s_actor });

        var ex = await Assert.ThrowsAsync<MaintenanceConflictException>(() => service.DisableAsync(new() { Application = "Storefront", Reason = "second", ExpectedVersion = 0, Actor = s_actor }));

        Assert.Equal(0, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
        Assert.True((await service.GetStatusAsync()).IsActive);
        Assert.Single(await service.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Two_racing_operators_get_one_winner_and_one_conflict()
    {
        var store = new GatedStore(_store);
        var options = Microsoft.Extensions.Options.Options.Create(new MaintenanceModeOptions { Application = "Storefront" });
        var service = new MaintenanceModeService(store, options, _time);

        // Both read version 0 before either writes.
        var first = service.EnableAsync(new() { Application = "Storefront", Reason = "Alice", Actor = new("alice", "10.0.0.1") });
        var second = service.EnableAsync(new() { Application = "Storefront", Reason = "Bob", Actor = new("bob", "10.0.0.2") });
        await store.BothReadAsync();
        store.Release();
        var results = await Task.WhenAll(Capture(first), Capture(second));

        Assert.Single(results, r => r is null);
        Assert.IsType<MaintenanceConflictException>(Assert.Single(results, r => r is not null));
        var entry = Assert.Single(await _store.GetAuditTrailAsync());
        var status = await service.GetStatusAsync();
        Assert.Equal(1, status.Own.Version);
        Assert.Equal(entry.Reason, status.Own.Reason);
    }

    [Fact]
    public async Task Store_failure_surfaces_as_store_exception()
    {
        var service = new MaintenanceModeService(new FailingStore(), Microsoft.Extensions.Options.Options.Create(new MaintenanceModeOptions { Application = "Storefront" }), _time);
        await Assert.ThrowsAsync<MaintenanceStoreException>(() => service.EnableAsync(new() { Application = "Storefront", Reason = "x" }));
        await Assert.ThrowsAsync<MaintenanceStoreException>(() => service.GetStatusAsync());
    }

    [Fact]
    public async Task Missing_actor_defaults_to_code()
    {
        var state = await CreateService().EnableAsync(new() { Application = "Storefront", Reason = "x" });
        var entry = Assert.Single(await _store.GetAuditTrailAsync());
        Assert.Equal("code", entry.Source);
        Assert.StartsWith("code:", state.ChangedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forced_by_configuration_is_reported()
    {
        var status = await CreateService(o => o.Enabled = true).GetStatusAsync();
        Assert.True(status.IsActive);
        Assert.True(status.ForcedByConfiguration);
    }

    private async Task AssertNothingChangedAsync()
    {
        Assert.Empty(await _store.GetStatesAsync());
        Assert.Empty(await _store.GetAuditTrailAsync());
    }

    private static async Task<Exception?> Capture(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Holds both readers after their read, so that the race is certain rather than likely.</summary>
    private sealed class GatedStore(IMaintenanceStateStore inner) : IMaintenanceStateStore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _bothRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public Task BothReadAsync() => _bothRead.Task.WaitAsync(TimeSpan.FromSeconds(5));

        public void Release() => _gate.TrySetResult();

        public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
        {
            var states = await inner.GetStatesAsync(cancellationToken);
            if (Interlocked.Increment(ref _reads) == 2)
            {
                _bothRead.TrySetResult();
            }

            await _gate.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return states;
        }

        public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(state, expectedVersion, auditEntry, cancellationToken);

        public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.GetAuditTrailAsync(application, limit, cancellationToken);

        public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => inner.WatchAsync(onChanged, cancellationToken);
    }
}
