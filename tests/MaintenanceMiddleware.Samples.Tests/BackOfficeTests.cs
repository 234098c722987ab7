extern alias BackOfficeApp;

using System.Net;
using System.Text.Json;
using BackOfficeApp::BackOffice.Sync;
using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using BackOfficeProgram = BackOfficeApp::Program;

namespace MaintenanceMiddleware.Samples.Tests;

public sealed class BackOfficeTests
{
    private static readonly Dictionary<string, string?> s_forcedOn = new() { ["MaintenanceMode:Enabled"] = "true" };

    // The sync's own timer stays out of the way: only maintenance transitions start a new round.
    private static readonly Dictionary<string, string?> s_slowInterval = new() { ["CatalogueSync:Interval"] = "01:00:00" };

    [Theory]
    [InlineData("/", "Dashboard")]
    [InlineData("/Orders", "HF-10421")]
    [InlineData("/Catalogue", "Catalogue")]
    [InlineData("/api/orders", "Ada Lovelace")]
    [InlineData("/api/sync/status", "\"state\"")]
    public async Task Pages_render_when_maintenance_is_off(string path, string expected)
    {
        await using var host = new SampleHost<BackOfficeProgram>();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Orders")]
    [InlineData("/Catalogue")]
    public async Task Forced_on_by_configuration_pages_answer_503_with_the_designed_page(string path)
    {
        await using var host = new SampleHost<BackOfficeProgram>(s_forcedOn);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The Back Office is under maintenance", html, StringComparison.Ordinal);
        Assert.Contains("/maintenance/illustration.svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forced_on_the_sync_status_stays_reachable_and_shows_the_pause()
    {
        await using var host = new SampleHost<BackOfficeProgram>(s_forcedOn);
        using var client = host.CreateClient();

        var state = await Eventually.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/api/sync/status");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return json.RootElement.GetProperty("state").GetString();
            },
            s => s == "Paused",
            "the sync status to say Paused");

        Assert.Equal("Paused", state);
    }

    [Fact]
    public async Task Sync_aborts_work_in_flight_when_maintenance_begins_and_resyncs_in_full_when_it_ends()
    {
        var feed = new ControlledSupplierFeed();
        await using var host = NewSyncHost(feed);
        var status = host.Services.GetRequiredService<SyncStatus>();
        var service = host.Services.GetRequiredService<IMaintenanceModeService>();

        // The first full sync is in flight: page 0 is being read.
        await Eventually.UntilAsync(() => feed.Waiting, w => w == 1, "the first full sync to be in flight");
        Assert.Equal(SyncState.FullSync, status.Snapshot().State);

        await service.EnableAsync(new() { Application = "BackOffice", Reason = "Database migration" });

        var paused = await Eventually.UntilAsync(status.Snapshot, s => s.State == SyncState.Paused, "the sync to pause");
        Assert.Equal(1, paused.Aborted);
        Assert.Equal(1, feed.Cancelled);
        Assert.Equal(0, paused.FullSyncs);
        Assert.Null(paused.LastFullSyncAt);
        Assert.Empty(feed.PagesRead);

        feed.Release();
        await service.DisableAsync(new() { Application = "BackOffice", Reason = "Migration done" });

        var resumed = await Eventually.UntilAsync(status.Snapshot, s => s.FullSyncs == 1, "a full resync after maintenance");
        Assert.Equal(SyncState.Idle, resumed.State);
        Assert.NotNull(resumed.LastFullSyncAt);
        Assert.Equal(1, resumed.Pauses);
        Assert.Equal(1, resumed.Aborted);
        Assert.Equal(new[] { 0, 1, 2 }, feed.PagesRead);
        Assert.Equal(3, resumed.Items);
    }

    [Fact]
    public async Task Sync_that_is_idle_pauses_without_an_abort_and_resyncs_in_full_afterwards()
    {
        var feed = new ControlledSupplierFeed { Hold = false };
        await using var host = NewSyncHost(feed);
        var status = host.Services.GetRequiredService<SyncStatus>();
        var service = host.Services.GetRequiredService<IMaintenanceModeService>();
        var first = await Eventually.UntilAsync(status.Snapshot, s => s.FullSyncs == 1 && s.State == SyncState.Idle, "the first full sync");

        await service.EnableAsync(new() { Application = "*", Reason = "Environment-wide maintenance" });
        var paused = await Eventually.UntilAsync(status.Snapshot, s => s.State == SyncState.Paused, "the sync to pause");
        Assert.Equal(0, paused.Aborted);
        Assert.Equal(1, paused.FullSyncs);

        await service.DisableAsync(new() { Application = "*", Reason = "Done" });
        var resumed = await Eventually.UntilAsync(status.Snapshot, s => s.FullSyncs == 2, "a full resync after maintenance");

        Assert.True(resumed.LastFullSyncAt > first.LastFullSyncAt, "the full resync is newer than the first sync");
        Assert.Equal(0, resumed.Aborted);
        Assert.Equal(1, resumed.Pauses);
        Assert.Equal(new[] { 0, 1, 2, 0, 1, 2 }, feed.PagesRead);
    }

    [Fact]
    public async Task Toggle_endpoints_refuse_anonymous_callers_and_switch_with_the_dev_api_key()
    {
        await using var host = new SampleHost<BackOfficeProgram>(s_slowInterval);
        using var client = host.CreateClient();

        using (var anonymous = await client.PostAsync("/_maintenance/enable", JsonContent("""{"reason":"Release 42"}""")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await Eventually.StatusOfAsync(client, "/Orders"));

        using (var enable = new HttpRequestMessage(HttpMethod.Post, "/_maintenance/enable") { Content = JsonContent("""{"reason":"Release 42"}""") })
        {
            enable.Headers.Add("X-Maintenance-Key", "backoffice-dev-key-not-secret");
            using var response = await client.SendAsync(enable);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.UntilAsync(() => Eventually.StatusOfAsync(client, "/Orders"), s => s == HttpStatusCode.ServiceUnavailable, "the back office to close");
        var audit = await host.Store.GetAuditTrailAsync("BackOffice");
        Assert.Contains("dev-pipeline", Assert.Single(audit).Actor, StringComparison.Ordinal);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static SampleHost<BackOfficeProgram> NewSyncHost(ControlledSupplierFeed feed) =>
        new(s_slowInterval, services =>
        {
            services.RemoveAll<ISupplierFeed>();
            services.AddSingleton<ISupplierFeed>(feed);
        });
}
