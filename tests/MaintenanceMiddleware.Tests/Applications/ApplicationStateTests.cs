using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Applications;

/// <summary>The effective state of every declared application is computed with the snapshot; gates and observers per application.</summary>
public sealed class ApplicationStateTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static MaintenanceState On(string application, DateTimeOffset? startsAt = null) =>
        new() { Application = application, Enabled = true, StartsAt = startsAt, Version = 1 };

    [Fact]
    public void Snapshot_carries_each_declared_application_and_nothing_else()
    {
        var snapshot = MaintenanceSnapshot.Compute("BackOffice", [On("storefront"), On("Payments")], ReloadableMaintenanceOptions.Default, s_now, ["Storefront"]);

        Assert.False(snapshot.IsActive);
        Assert.True(snapshot.Applications.Find("Storefront")!.IsActive);
        Assert.True(snapshot.Applications.Find("STOREFRONT")!.IsActive);
        Assert.False(snapshot.Applications.Find("BackOffice")!.IsActive);
        Assert.False(snapshot.Applications.Find("*")!.IsActive);
        Assert.Null(snapshot.Applications.Find("Payments")); // stored, but not declared by this host
    }

    [Fact]
    public void The_environment_wide_entry_puts_every_declared_application_in_maintenance()
    {
        var snapshot = MaintenanceSnapshot.Compute("BackOffice", [On("*")], ReloadableMaintenanceOptions.Default, s_now, ["Storefront"]);

        Assert.True(snapshot.Applications.Find("Storefront")!.IsActive);
        Assert.Equal("*", snapshot.Applications.Find("Storefront")!.Effective.Application);
        Assert.True(snapshot.IsActive);
    }

    [Fact]
    public void A_scheduled_window_of_another_application_is_a_boundary_of_the_snapshot()
    {
        var start = s_now.AddMinutes(30);
        var before = MaintenanceSnapshot.Compute("BackOffice", [On("Storefront", start)], ReloadableMaintenanceOptions.Default, s_now, ["Storefront"]);
        var during = MaintenanceSnapshot.Compute("BackOffice", [On("Storefront", start)], ReloadableMaintenanceOptions.Default, start, ["Storefront"]);

        Assert.Equal(start, before.NextBoundary);
        Assert.False(before.Applications.Find("Storefront")!.IsActive);
        Assert.True(during.Applications.Find("Storefront")!.IsActive);
    }

    [Fact]
    public async Task Gate_for_an_application_flips_cancels_its_token_and_completes_the_wait_when_it_ends()
    {
        await using var host = await ApplicationsTestHost.StartAsync();
        var storefront = host.Gate.ForApplication("Storefront");
        var token = storefront.MaintenanceStartedToken;
        Assert.False(storefront.IsActive);
        Assert.True(storefront.WaitUntilEndedAsync().IsCompletedSuccessfully);

        await host.SwitchAsync("Storefront", on: true);
        await ApplicationsTestHost.UntilAsync(() => storefront.IsActive, "the Storefront gate to flip");
        await ApplicationsTestHost.UntilAsync(() => token.IsCancellationRequested, "the Storefront token to be cancelled");
        var ended = storefront.WaitUntilEndedAsync();
        Assert.False(ended.IsCompleted);
        Assert.False(host.Gate.IsActive); // the Back Office itself is not in maintenance
        Assert.False(host.Gate.MaintenanceStartedToken.IsCancellationRequested);

        await host.SwitchAsync("Storefront", on: false);
        await ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(storefront.IsActive);
        Assert.False(storefront.MaintenanceStartedToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_window_that_ends_months_away_is_followed_for_the_host_and_for_another_application()
    {
        // A timer cannot wait past ~49 days; windows may last up to a year. The monitor wakes daily instead of failing the swap.
        await using var host = await ApplicationsTestHost.StartAsync();

        await host.SwitchAsync("BackOffice", on: true, endsAt: DateTimeOffset.UtcNow.AddDays(60));
        await host.SwitchAsync("Storefront", on: true, endsAt: DateTimeOffset.UtcNow.AddDays(200));

        await ApplicationsTestHost.UntilAsync(() => host.Gate.IsActive && host.Gate.ForApplication("Storefront").IsActive, "both windows to be in force");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Gate_for_an_undeclared_application_throws_naming_it_and_the_declared_ones()
    {
        await using var host = await ApplicationsTestHost.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => host.Gate.ForApplication("Shop"));

        Assert.StartsWith("The application 'Shop' is not declared by this host. Add it to MaintenanceMode:Applications (declared: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Storefront'", error.Message, StringComparison.Ordinal);
        Assert.Same(host.Gate, host.Gate.ForApplication("backoffice"));
    }

    [Fact]
    public async Task Observer_for_one_application_hears_its_begin_and_end_and_nothing_of_the_host()
    {
        var observer = new StorefrontObserver();
        await using var host = await ApplicationsTestHost.StartAsync(services =>
        {
            services.AddSingleton(observer);
            services.AddMaintenanceModeObserver<StorefrontObserver>("Storefront");
        });

        await host.SwitchAsync("BackOffice", on: true);
        await ApplicationsTestHost.UntilAsync(() => host.Gate.IsActive, "the Back Office to go into maintenance");
        await host.SwitchAsync("Storefront", on: true, message: "Back soon");
        var started = await observer.Inner.NextAsync(TimeSpan.FromSeconds(10), "started");
        await host.SwitchAsync("Storefront", on: false);
        var ended = await observer.Inner.NextAsync(TimeSpan.FromSeconds(10), "ended");

        Assert.Equal(("started", "Storefront", "Back soon"), (started.Hook, started.State.Application, started.State.Message));
        Assert.Equal(("ended", "Storefront"), (ended.Hook, ended.State.Application));
        Assert.False(observer.Inner.TryGetNext(out _)); // the Back Office's own begin was not reported to it
    }

    [Fact]
    public async Task Observer_for_an_undeclared_application_stops_start_up_naming_it()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var app = ApplicationsTestHost.Build(services => services.AddMaintenanceModeObserver<StorefrontObserver>("Shop"));
            await app.StartAsync();
        });

        Assert.Contains("AddMaintenanceModeObserver<StorefrontObserver>: The application 'Shop' is not declared by this host.", error.Message, StringComparison.Ordinal);
    }

    internal sealed class StorefrontObserver : IMaintenanceModeObserver
    {
        public Hooks.RecordingObserver Inner { get; } = new();

        public Task OnMaintenanceStartedAsync(MaintenanceState state, CancellationToken cancellationToken) => Inner.OnMaintenanceStartedAsync(state, cancellationToken);

        public Task OnMaintenanceEndedAsync(MaintenanceState state, CancellationToken cancellationToken) => Inner.OnMaintenanceEndedAsync(state, cancellationToken);
    }
}
