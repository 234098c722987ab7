using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// Both samples as real processes, pointed at each other through <c>Storefront:BaseUrl</c> and at one state store
/// (the file store's shared file, or one PostgreSQL database). The Storefront is switched through the Back Office's
/// maintenance endpoints (it declares the Storefront); the Storefront counts every publication request that reaches it.
/// </summary>
public sealed class TwoProcessesTests
{
    private const string ApiKey = "backoffice-dev-key-not-secret";

    public static TheoryData<string> Stores => ["file", "postgresql"];

    private static async Task<Dictionary<string, string>> StoreSettingsAsync(string store, string folder)
    {
        if (store == "file")
        {
            return new() { ["MaintenanceMode__FileStore__Path"] = Path.Combine(folder, "state.json") };
        }

        var admin = Environment.GetEnvironmentVariable("MM_TEST_POSTGRES");
        Assert.False(string.IsNullOrEmpty(admin), "MM_TEST_POSTGRES is not set: a connection string to a PostgreSQL server with a superuser (./test.sh sets it).");
        var name = "mm_xapp_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new()
        {
            ["MaintenanceMode__PostgreSql__ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString,
        };
    }

    private static async Task<(SampleProcess Storefront, SampleProcess BackOffice)> StartBothAsync(string store, string? applyTime = null)
    {
        var folder = Directory.CreateTempSubdirectory("mm-xapp-").FullName;
        var shared = await StoreSettingsAsync(store, folder);
        var storefrontPort = SampleProcess.FreePort();
        var storefrontUrl = $"http://127.0.0.1:{storefrontPort}";
        var storefrontSettings = new Dictionary<string, string>(shared) { ["Storefront__BaseUrl"] = storefrontUrl };
        if (applyTime is not null)
        {
            storefrontSettings["Publications__ApplyTime"] = applyTime;
        }

        var storefront = await SampleProcess.StartAsync("Storefront", storefrontPort, storefrontSettings);
        var backOffice = await SampleProcess.StartAsync("BackOffice", SampleProcess.FreePort(), new Dictionary<string, string>(shared)
        {
            ["Storefront__BaseUrl"] = storefrontUrl,
            ["CatalogueSync__Interval"] = "01:00:00",
        });
        return (storefront, backOffice);
    }

    private static HttpClient Client(SampleProcess sample, bool asOperator = false)
    {
        var client = new HttpClient { BaseAddress = sample.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (asOperator)
        {
            client.DefaultRequestHeaders.Add("X-Maintenance-Key", ApiKey);
        }

        return client;
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task SwitchStorefrontAsync(HttpClient office, bool on)
    {
        using var response = await office.PostAsJsonAsync(new Uri(on ? "/_maintenance/enable" : "/_maintenance/disable", UriKind.Relative), new { application = "Storefront", reason = on ? "Release 42" : "Release 42 done" });
        Assert.True(response.IsSuccessStatusCode, $"Switching the Storefront answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task PausedAsync(HttpClient office, bool paused) =>
        await Eventually.UntilAsync(
            async () => (await JsonAsync(office, "/api/storefront/status")).GetProperty("inMaintenanceSince").ValueKind,
            k => k == (paused ? JsonValueKind.String : JsonValueKind.Null),
            paused ? "the Back Office to see the Storefront in maintenance" : "the Back Office to see the Storefront back",
            TimeSpan.FromSeconds(30));

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Two_processes_nothing_reaches_the_Storefront_during_maintenance_and_one_full_resync_follows(string store)
    {
        var (storefront, backOffice) = await StartBothAsync(store);
        await using var _ = storefront;
        await using var __ = backOffice;
        using var shop = Client(storefront);
        using var office = Client(backOffice, asOperator: true);

        using (var published = await office.PostAsync(new Uri("/api/storefront/publish", UriKind.Relative), null))
        {
            Assert.True(published.StatusCode == HttpStatusCode.OK, $"{published.StatusCode}: {await published.Content.ReadAsStringAsync()}\n{backOffice.Output}");
        }

        await SwitchStorefrontAsync(office, on: true);
        await PausedAsync(office, paused: true);
        await Eventually.UntilAsync(() => Eventually.StatusOfAsync(shop, "/"), s => s == HttpStatusCode.ServiceUnavailable, "the Storefront to follow the same store", TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            using var refused = await office.PostAsync(new Uri("/api/storefront/publish", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("\"application\":\"Storefront\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1, (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("requests").GetInt32());
        Assert.Contains("publishing paused, 3 publications skipped.", await office.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);

        await SwitchStorefrontAsync(office, on: false);
        await Eventually.UntilAsync(async () => (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("full").GetInt32(), n => n >= 1, "the full resynchronisation", TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        var report = await JsonAsync(shop, "/api/catalogue/publications");
        Assert.Equal((1, 2, 2), (report.GetProperty("full").GetInt32(), report.GetProperty("received").GetInt32(), report.GetProperty("requests").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Two_processes_a_publication_in_flight_is_aborted_when_the_Storefront_goes_into_maintenance(string store)
    {
        var (storefront, backOffice) = await StartBothAsync(store, applyTime: "00:01:00");
        await using var _ = storefront;
        await using var __ = backOffice;
        using var shop = Client(storefront);
        using var office = Client(backOffice, asOperator: true);

        var publishing = office.PostAsync(new Uri("/api/storefront/publish", UriKind.Relative), null);
        await Eventually.UntilAsync(async () => (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("requests").GetInt32(), n => n == 1, "the publication to reach the Storefront", TimeSpan.FromSeconds(30));
        await SwitchStorefrontAsync(office, on: true);
        using var response = await publishing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        await Eventually.UntilAsync(async () => (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("aborted").GetInt32(), n => n == 1, "the Storefront to see the publication aborted", TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await JsonAsync(shop, "/api/catalogue/publications")).GetProperty("received").GetInt32());
        Assert.Equal(1, (await JsonAsync(office, "/api/storefront/status")).GetProperty("aborted").GetInt32());
    }
}
