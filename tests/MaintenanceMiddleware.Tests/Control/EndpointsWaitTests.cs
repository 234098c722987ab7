using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace MaintenanceMiddleware.Tests.Control;

/// <summary><c>"wait"</c> in the enable/disable body and <c>GET instances</c>: the host itself reports to the in-memory store.</summary>
public sealed class EndpointsWaitTests : IAsyncLifetime
{
    private readonly InMemoryMaintenanceStateStore _store = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await EndpointsTestHost.StartAsync(store: _store, configureOptions: o => o.HeartbeatInterval = TimeSpan.FromSeconds(1));
        _client = _app.GetTestClient();
        _client.DefaultRequestHeaders.Add("X-Maintenance-Key", EndpointsTestHost.DeployKey);

        // The host registers itself once it has started.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await _store.GetInstancesAsync()).Instances.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the host never reported itself");
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Enable_with_a_wait_answers_once_every_instance_confirmed_with_the_state_and_each_instance()
    {
        using var response = await PostAsync("enable", """{"application":"Storefront","reason":"Release 42","wait":"10s"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("state").GetProperty("enabled").GetBoolean());
        var confirmation = body.GetProperty("confirmation");
        Assert.True(confirmation.GetProperty("confirmed").GetBoolean());
        Assert.Equal(1, confirmation.GetProperty("version").GetInt64());
        var instance = Assert.Single(confirmation.GetProperty("instances").EnumerateArray());
        Assert.Equal("Confirmed", instance.GetProperty("outcome").GetString());
        Assert.Equal("applied v1, drained, in maintenance", instance.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_instance_that_does_not_apply_in_time_makes_it_504_with_that_instance_named()
    {
        await _store.ReportAsync(new MaintenanceInstanceReport
        {
            InstanceId = "web-stuck",
            SessionId = "s",
            Application = "Storefront",
            HostName = "web-9",
            HeartbeatInterval = TimeSpan.FromMinutes(1),
        });

        using var response = await PostAsync("enable", """{"application":"Storefront","reason":"Release 42","wait":"1s"}""");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var confirmation = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("confirmation");
        Assert.False(confirmation.GetProperty("confirmed").GetBoolean());
        var stuck = confirmation.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("instanceId").GetString() == "web-stuck");
        Assert.Equal("NotApplied", stuck.GetProperty("outcome").GetString());
        Assert.Equal("has not applied v1 yet", stuck.GetProperty("detail").GetString());

        // The change itself is stored.
        Assert.True((await _store.GetStatesAsync()).Single().Enabled);
    }

    [Theory]
    [InlineData("0s", "'0s' is not a duration; use e.g. 90s, 30m")]
    [InlineData("2h", "The wait must be at most 60 minutes (it was 02:00:00).")]
    [InlineData("soon", "'soon' is not a duration")]
    public async Task A_bad_wait_is_a_validation_problem_on_the_wait_field_and_nothing_changes(string wait, string message)
    {
        using var response = await PostAsync("disable", $$"""{"application":"Storefront","reason":"done","wait":"{{wait}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, problem.GetProperty("errors").GetProperty("wait")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await _store.GetStatesAsync());
    }

    [Fact]
    public async Task Instances_lists_the_reporting_instances_optionally_of_one_application()
    {
        var all = await _client.GetFromJsonAsync<JsonElement>("/_maintenance/instances");
        var me = Assert.Single(all.GetProperty("instances").EnumerateArray());
        Assert.Equal("Storefront", me.GetProperty("application").GetString());
        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", me.GetProperty("instanceId").GetString());
        Assert.True(all.TryGetProperty("asOf", out _));

        var backOffice = await _client.GetFromJsonAsync<JsonElement>("/_maintenance/instances?app=BackOffice");
        Assert.Empty(backOffice.GetProperty("instances").EnumerateArray());
    }

    private Task<HttpResponseMessage> PostAsync(string endpoint, string json) =>
        _client.PostAsync(new Uri($"/_maintenance/{endpoint}", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
