using MaintenanceMiddleware;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

public sealed class MaintenanceSnapshotTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static MaintenanceState On(string application, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null) =>
        MaintenanceState.Off(application) with { Enabled = true, Reason = $"{application} down", StartsAt = startsAt, EndsAt = endsAt, Version = 1 };

    [Fact]
    public void Environment_wide_entry_is_active_for_the_environment_itself()
    {
        var snapshot = MaintenanceSnapshot.Compute(MaintenanceState.AllApplications, [On(MaintenanceState.AllApplications)], IpAllowList.Empty, false, s_now);

        Assert.True(snapshot.IsActive);
        Assert.Equal("* down", snapshot.Effective.Reason);
        Assert.Same(snapshot.Environment, snapshot.Own);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Environment_wide_entry_governs_every_application_whatever_the_order(bool environmentFirst)
    {
        MaintenanceState[] states = environmentFirst
            ? [On(MaintenanceState.AllApplications), MaintenanceState.Off("Storefront") with { Version = 3 }]
            : [MaintenanceState.Off("Storefront") with { Version = 3 }, On(MaintenanceState.AllApplications)];

        var snapshot = MaintenanceSnapshot.Compute("Storefront", states, IpAllowList.Empty, false, s_now);

        Assert.True(snapshot.IsActive);
        Assert.Equal(MaintenanceState.AllApplications, snapshot.Effective.Application);
        Assert.Equal(3, snapshot.Own.Version);
    }

    [Fact]
    public void Own_entry_matches_case_insensitively_and_other_applications_do_not_count()
    {
        var snapshot = MaintenanceSnapshot.Compute("Storefront", [On("storefront"), On("BackOffice")], IpAllowList.Empty, false, s_now);
        var other = MaintenanceSnapshot.Compute("Catalogue", [On("Storefront"), On("BackOffice")], IpAllowList.Empty, false, s_now);

        Assert.True(snapshot.IsActive);
        Assert.False(other.IsActive);
    }

    [Fact]
    public void Scheduled_window_is_inactive_before_its_start_and_names_the_next_boundary()
    {
        var start = s_now.AddMinutes(10);
        var end = s_now.AddMinutes(20);
        var state = On("Storefront", start, end);

        var before = MaintenanceSnapshot.Compute("Storefront", [state], IpAllowList.Empty, false, s_now);
        var during = MaintenanceSnapshot.Compute("Storefront", [state], IpAllowList.Empty, false, start);
        var after = MaintenanceSnapshot.Compute("Storefront", [state], IpAllowList.Empty, false, end);

        Assert.False(before.IsActive);
        Assert.Equal(start, before.NextBoundary);
        Assert.True(during.IsActive);
        Assert.Equal(end, during.NextBoundary);
        Assert.False(after.IsActive);
        Assert.Null(after.NextBoundary);
    }

    [Fact]
    public void Forced_by_configuration_is_active_without_any_stored_state()
    {
        var snapshot = MaintenanceSnapshot.Compute("Storefront", [], IpAllowList.Empty, true, s_now);

        Assert.True(snapshot.IsActive);
        Assert.True(snapshot.ForcedByConfiguration);
        Assert.Equal(MaintenanceMode.Full, snapshot.Mode);
    }

    [Fact]
    public void Window_networks_are_added_to_the_configured_allowlist_only_while_in_force()
    {
        var configured = IpAllowList.Parse(["10.0.0.0/8"], "test");
        var state = On("Storefront") with { AllowedNetworks = ["192.0.2.0/24"] };
        var later = state with { StartsAt = s_now.AddHours(1) };

        var active = MaintenanceSnapshot.Compute("Storefront", [state], configured, false, s_now);
        var notYet = MaintenanceSnapshot.Compute("Storefront", [later], configured, false, s_now);

        Assert.True(active.AllowList.Contains(System.Net.IPAddress.Parse("192.0.2.7")));
        Assert.True(active.AllowList.Contains(System.Net.IPAddress.Parse("10.1.2.3")));
        Assert.False(notYet.AllowList.Contains(System.Net.IPAddress.Parse("192.0.2.7")));
    }

    [Fact]
    public async Task Status_of_all_applications_reports_the_environment_wide_entry()
    {
        using var dir = new TempDirectory();
        var service = Service(Store(dir.Combine("state.json")));

        await service.EnableAsync(MaintenanceState.AllApplications, "Database upgrade");
        var status = await service.GetStatusAsync(MaintenanceState.AllApplications);

        Assert.True(status.IsActive);
        Assert.Equal("Database upgrade", status.Effective.Reason);
        Assert.True((await service.GetStatusAsync("Storefront")).IsActive);
    }

    [Theory]
    [InlineData(MaintenanceMode.ReadOnly, MaintenanceMode.Full)]
    [InlineData(MaintenanceMode.Full, MaintenanceMode.ReadOnly)]
    public void Environment_and_own_window_together_take_the_stricter_mode(MaintenanceMode environmentMode, MaintenanceMode ownMode)
    {
        MaintenanceState[] states = [On(MaintenanceState.AllApplications) with { Mode = environmentMode }, On("Storefront") with { Mode = ownMode }];

        var snapshot = MaintenanceSnapshot.Compute("Storefront", states, IpAllowList.Empty, false, s_now);

        Assert.Equal(MaintenanceMode.Full, snapshot.Mode);
    }

    [Fact]
    public void Environment_and_own_window_together_end_at_the_later_end()
    {
        var environmentEnd = s_now.AddMinutes(10);
        var ownEnd = s_now.AddMinutes(60);

        var both = MaintenanceSnapshot.Compute("Storefront", [On(MaintenanceState.AllApplications, endsAt: environmentEnd), On("Storefront", endsAt: ownEnd)], IpAllowList.Empty, false, s_now);
        var openEnded = MaintenanceSnapshot.Compute("Storefront", [On(MaintenanceState.AllApplications, endsAt: environmentEnd), On("Storefront")], IpAllowList.Empty, false, s_now);

        Assert.Equal(ownEnd, both.Effective.EndsAt);
        Assert.Equal("* down", both.Effective.Reason);
        Assert.Equal(environmentEnd, both.NextBoundary);
        Assert.Null(openEnded.Effective.EndsAt);
    }

    [Fact]
    public void Forced_by_configuration_is_full_and_open_ended_even_inside_a_read_only_window()
    {
        var window = On("Storefront", endsAt: s_now.AddMinutes(15)) with { Mode = MaintenanceMode.ReadOnly };

        var forced = MaintenanceSnapshot.Compute("Storefront", [window], IpAllowList.Empty, true, s_now);
        var notForced = MaintenanceSnapshot.Compute("Storefront", [window], IpAllowList.Empty, false, s_now);

        Assert.Equal(MaintenanceMode.Full, forced.Mode);
        Assert.Null(forced.Effective.EndsAt);
        Assert.Equal(MaintenanceMode.ReadOnly, notForced.Mode);
        Assert.Same(window, notForced.Effective);
    }
}
