extern alias BackOfficeApp;
extern alias StorefrontApp;

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using BackOfficeProgram = BackOfficeApp::Program;
using StorefrontClient = BackOfficeApp::BackOffice.Storefront.StorefrontClient;
using StorefrontProgram = StorefrontApp::Program;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// Both samples in process on one state store: the Back Office publishes the catalogue to the Storefront through the
/// gated client (its HTTP calls go to the Storefront's test server), and the Storefront counts what reaches it.
/// </summary>
public sealed class StorefrontPublishingTests
{
    private const string ApiKey = "backoffice-dev-key-not-secret";

    private static (SampleHost<StorefrontProgram> Storefront, SampleHost<BackOfficeProgram> BackOffice) Start(InMemoryMaintenanceStateStore store, string? applyTime = null)
    {
        void Shared(IServiceCollection services)
        {
            services.RemoveAll<IMaintenanceStateStore>();
            services.AddSingleton<IMaintenanceStateStore>(store);
        }

        var storefront = new SampleHost<StorefrontProgram>(
            applyTime is null ? null : new Dictionary<string, string?> { ["Publications:ApplyTime"] = applyTime },
            Shared);
        var storefrontServer = storefront.Server;
        var backOffice = new SampleHost<BackOfficeProgram>(
            new Dictionary<string, string?> { ["CatalogueSync:Interval"] = "01:00:00" },
            services =>
            {
                Shared(services);
                services.AddHttpClient(StorefrontClient.Name).ConfigurePrimaryHttpMessageHandler(storefrontServer.CreateHandler);
            });
        return (storefront, backOffice);
    }

    private static HttpClient Operator(SampleHost<BackOfficeProgram> backOffice)
    {
        var client = backOffice.CreateClient();
        client.DefaultRequestHeaders.Add("X-Maintenance-Key", ApiKey);
        return client;
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task While_the_Storefront_is_in_maintenance_publishing_is_refused_nothing_reaches_it_and_it_is_resynchronised_in_full_once_after()
    {
        var store = new InMemoryMaintenanceStateStore();
        var (storefront, backOffice) = Start(store);
        await using var _ = storefront;
        await using var __ = backOffice;
        using var shop = storefront.CreateClient();
        using var office = Operator(backOffice);

        using (var first = await office.PostAsync("/api/storefront/publish", null))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Assert.Equal(1, (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("received").GetInt32());

        await StoreSwitch.SwitchAsync(store, "Storefront", on: true, message: "New collection at noon.");
        await Eventually.UntilAsync(async () => (await JsonAsync(office, "/api/storefront/status")).GetProperty("inMaintenanceSince").ValueKind, k => k == JsonValueKind.String, "the Back Office to see the Storefront in maintenance");
        for (var i = 0; i < 3; i++)
        {
            using var refused = await office.PostAsync("/api/storefront/publish", null);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Storefront", problem.GetProperty("application").GetString());
            Assert.Equal("New collection at noon.", problem.GetProperty("detail").GetString());
        }

        var during = await JsonAsync(shop, "/api/catalogue/publications");
        Assert.Equal(1, during.GetProperty("requests").GetInt32()); // zero requests reached the Storefront during maintenance
        Assert.Equal(3, (await JsonAsync(office, "/api/storefront/status")).GetProperty("skipped").GetInt32());
        var dashboard = await office.GetStringAsync("/");
        Assert.Contains("Storefront — in maintenance since", dashboard, StringComparison.Ordinal);
        Assert.Contains("publishing paused, 3 publications skipped.", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("INTERNAL", dashboard, StringComparison.Ordinal);

        await StoreSwitch.SwitchAsync(store, "Storefront", on: false);
        var after = await Eventually.UntilAsync(() => JsonAsync(shop, "/api/catalogue/publications"), r => r.GetProperty("full").GetInt32() >= 1, "the full resynchronisation");
        await Task.Delay(500);
        after = await JsonAsync(shop, "/api/catalogue/publications");
        Assert.Equal(1, after.GetProperty("full").GetInt32());
        Assert.Equal(2, after.GetProperty("received").GetInt32());
        // The resync may start while the Storefront's own instance is still switching back (each host follows the store
        // on its own): such an attempt gets the 503 and is retried, so it can count as one more request, never as one
        // more publication (received stays 2, full stays 1).
        Assert.InRange(after.GetProperty("requests").GetInt32(), 2, 3);
        Assert.Contains("Storefront — online", await office.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publication_in_flight_when_the_Storefront_goes_into_maintenance_is_aborted()
    {
        var store = new InMemoryMaintenanceStateStore();
        var (storefront, backOffice) = Start(store, applyTime: "00:01:00");
        await using var _ = storefront;
        await using var __ = backOffice;
        using var shop = storefront.CreateClient();
        using var office = Operator(backOffice);

        var publishing = office.PostAsync("/api/storefront/publish", null);
        await Eventually.UntilAsync(async () => (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("requests").GetInt32(), n => n == 1, "the publication to reach the Storefront");
        await StoreSwitch.SwitchAsync(store, "Storefront", on: true);
        using var response = await publishing.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        await Eventually.UntilAsync(async () => (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("aborted").GetInt32(), n => n == 1, "the Storefront to see the publication aborted");
        var report = await JsonAsync(shop, "/api/catalogue/publications");
        Assert.Equal(0, report.GetProperty("received").GetInt32());
        var status = await JsonAsync(office, "/api/storefront/status");
        Assert.Equal(1, status.GetProperty("aborted").GetInt32());
    }

    [Fact]
    public async Task Publishing_is_behind_the_operator_authorization_even_while_the_Storefront_is_in_maintenance()
    {
        var store = new InMemoryMaintenanceStateStore();
        var (storefront, backOffice) = Start(store);
        await using var _ = storefront;
        await using var __ = backOffice;
        using var anonymous = backOffice.CreateClient();

        using (var response = await anonymous.PostAsync("/api/storefront/publish", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await StoreSwitch.SwitchAsync(store, "Storefront", on: true);
        using var office = Operator(backOffice);
        await Eventually.UntilAsync(async () => (await JsonAsync(office, "/api/storefront/status")).GetProperty("inMaintenanceSince").ValueKind, k => k == JsonValueKind.String, "the Back Office to see the Storefront in maintenance");
        using var refused = await anonymous.PostAsync("/api/storefront/publish", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
