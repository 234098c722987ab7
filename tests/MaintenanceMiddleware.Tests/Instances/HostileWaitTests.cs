using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MaintenanceMiddleware;
using MaintenanceMiddleware.Tests.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Instances;

/// <summary>
/// Hostile tests of issue 11's new surface in the core: the confirmation rule after a store's JSON round trip, the
/// file store's instance reader, and <c>"wait"</c> / <c>GET instances</c> over HTTP. Each fails while its defect is there.
/// </summary>
public sealed class HostileWaitTests : IAsyncLifetime
{
    private readonly InMemoryMaintenanceStateStore _store = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await EndpointsTestHost.StartAsync(store: _store, configureOptions: o => o.HeartbeatInterval = TimeSpan.FromSeconds(1));
        _client = _app.GetTestClient();
        _client.DefaultRequestHeaders.Add("X-Maintenance-Key", EndpointsTestHost.DeployKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    // Application names compare case-insensitively everywhere, and the reporter builds AppliedVersions with
    // OrdinalIgnoreCase; but every store hands back a deserialized, case-sensitive dictionary. So a wait (or
    // IMaintenanceModeService.WaitForInstancesAsync) for "storefront" never sees the "Storefront" v1 an instance applied.
    [Fact]
    public void A_report_read_back_from_a_store_confirms_a_version_of_the_application_in_any_case()
    {
        var written = new MaintenanceInstanceReport
        {
            InstanceId = "web-1",
            SessionId = "s",
            Application = "Storefront",
            HostName = "web-1",
            HeartbeatInterval = TimeSpan.FromSeconds(5),
            AppliedVersions = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase) { ["Storefront"] = 1 },
            Drained = true,
            LastHeartbeat = DateTimeOffset.UtcNow,
        };
        var read = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(written, MaintenanceStoreJson.InstanceReport), MaintenanceStoreJson.InstanceReport)!;

        Assert.Equal(1, read.AppliedVersionOf("storefront"));
        Assert.Equal(MaintenanceInstanceOutcome.Confirmed, InstanceConfirmationRule.Judge(read, "storefront", 1, DateTimeOffset.UtcNow).Outcome);
    }

    // A report file with "applications": null or "appliedVersions": null passes the reader (only the four strings are
    // checked) and then throws NullReferenceException / ArgumentNullException in Concerns, AppliedVersionOf and the CLI.
    [Theory]
    [InlineData("\"applications\":[]", "\"applications\":null")]
    [InlineData("\"appliedVersions\":{\"Storefront\":1}", "\"appliedVersions\":null")]
    public async Task The_file_store_lists_a_report_with_a_null_collection_as_unreadable(string valid, string hostile)
    {
        var folder = Directory.CreateTempSubdirectory("mm-hostile-").FullName;
        try
        {
            var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = Path.Combine(folder, "state.json") });
            await store.ReportAsync(new MaintenanceInstanceReport
            {
                InstanceId = "web-1",
                SessionId = "s",
                Application = "Storefront",
                HostName = "web-1",
                HeartbeatInterval = TimeSpan.FromSeconds(5),
                AppliedVersions = new Dictionary<string, long> { ["Storefront"] = 1 },
                Drained = true,
            });
            var file = Assert.Single(Directory.GetFiles(Path.Combine(folder, "state.instances")));
            var json = await File.ReadAllTextAsync(file);
            Assert.Contains(valid, json, StringComparison.Ordinal);
            await File.WriteAllTextAsync(file, json.Replace(valid, hostile, StringComparison.Ordinal));

            var list = await store.GetInstancesAsync();

            Assert.Empty(list.Instances);
            Assert.StartsWith("state.instances/" + Path.GetFileName(file) + ": ", Assert.Single(list.Unreadable), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The CLI refuses `--wait 15` ("has no unit; write 15m"); over HTTP "wait": "15" is taken as 15 MINUTES, so a
    // pipeline that meant seconds holds its request (and its step) for a quarter of an hour on a stuck instance.
    [Fact]
    public async Task A_wait_without_a_unit_over_http_is_refused_on_the_wait_field_as_the_cli_refuses_it()
    {
        using var response = await PostAsync("enable", """{"application":"Storefront","reason":"Release 42","wait":"15"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'15' has no unit", problem.GetProperty("errors").GetProperty("wait")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await _store.GetStatesAsync());
    }

    // The registry goes away mid-wait (PostgreSQL restarted, network cut): the waiter swallows every failed read after
    // the first and, at the timeout, reports the last reading it had ("has not applied v1 yet") as if it were current.
    // The operator is told the instance is behind, never that the store could not be read for most of the wait.
    [Fact]
    public async Task A_registry_that_fails_mid_wait_is_named_in_the_outcome_not_hidden_behind_a_stale_reading()
    {
        var registry = new FailingAfterFirstReadRegistry(_store);
        await _store.ReportAsync(new MaintenanceInstanceReport
        {
            InstanceId = "web-stuck",
            SessionId = "s",
            Application = "Storefront",
            HostName = "web-9",
            HeartbeatInterval = TimeSpan.FromMinutes(1),
        });

        var result = await InstanceConfirmationWaiter.WaitAsync(registry, "Storefront", 1, TimeSpan.FromSeconds(3), TimeProvider.System, CancellationToken.None);

        Assert.True(registry.Reads > 1, "the waiter read the registry only once");
        Assert.False(result.Confirmed);
        var stuck = result.Instances.Single(i => i.InstanceId == "web-stuck");
        Assert.Contains(FailingAfterFirstReadRegistry.Message, stuck.Detail, StringComparison.Ordinal);
    }

    // README: "Nothing changes on any error." With a store of one's own that keeps no instance registry, POST enable
    // with "wait" stores the switch first and only then finds it cannot wait: the caller gets an error (503) while
    // the shop went into maintenance. The wait must be refused before anything is stored.
    [Fact]
    public async Task Enable_with_a_wait_on_a_store_without_registry_fails_without_switching()
    {
        var inner = new InMemoryMaintenanceStateStore();
        await using var app = await EndpointsTestHost.StartAsync(store: new NoRegistryStore(inner));
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Maintenance-Key", EndpointsTestHost.DeployKey);

        using var response = await client.PostAsync(
            new Uri("/_maintenance/enable", UriKind.Relative),
            new StringContent("""{"application":"Storefront","reason":"Release 42","wait":"5s"}""", Encoding.UTF8, "application/json"));

        Assert.False(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Empty(await inner.GetStatesAsync());
    }

    // README (Waiting for every instance): "An instance has drained a switch when the requests that were in flight when
    // its maintenance began have finished (or DrainTimeout ... has passed)". RequestDrain tracks nothing yet, so a
    // request that started before the switch (and would now be refused) is still running when "wait" answers
    // 200 "applied v1, drained". The pipeline then touches the database under a live request.
    [Fact]
    public async Task A_wait_does_not_confirm_drained_while_a_request_from_before_the_switch_is_still_running()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await EndpointsTestHost.StartAsync(
            configureBuilder: b => b.Services.AddSingleton<IStartupFilter>(new SlowRequestFilter(started, finished)),
            configureOptions: o => o.HeartbeatInterval = TimeSpan.FromSeconds(1));
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Maintenance-Key", EndpointsTestHost.DeployKey);
        var service = app.Services.GetRequiredService<IMaintenanceModeService>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await service.GetInstancesAsync()).Instances.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the host never reported itself");
            await Task.Delay(20);
        }

        var slow = client.GetAsync(new Uri("/slow", UriKind.Relative));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var response = await client.PostAsync(
            new Uri("/_maintenance/enable", UriKind.Relative),
            new StringContent("""{"application":"Storefront","reason":"Release 42","wait":"20s"}""", Encoding.UTF8, "application/json"));
        var answeredWhileRunning = !finished.Task.IsCompleted;
        using var slowResponse = await slow;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(answeredWhileRunning, "confirmed 'drained' while a request that began before the switch was still in flight");
    }

    private Task<HttpResponseMessage> PostAsync(string endpoint, string json) =>
        _client.PostAsync(new Uri($"/_maintenance/{endpoint}", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private sealed class FailingAfterFirstReadRegistry(IMaintenanceInstanceRegistry inner) : IMaintenanceInstanceRegistry
    {
        public const string Message = "connection refused (hostile test)";

        public int Reads { get; private set; }

        public Task ReportAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken = default) => inner.ReportAsync(report, cancellationToken);

        public Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken = default) => inner.RemoveAsync(instanceId, sessionId, cancellationToken);

        public Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default) =>
            ++Reads == 1 ? inner.GetInstancesAsync(cancellationToken) : throw new MaintenanceStoreException(Message);

        public Task WatchInstancesAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private sealed class NoRegistryStore(IMaintenanceStateStore inner) : IMaintenanceStateStore
    {
        public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) => inner.GetStatesAsync(cancellationToken);

        public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(state, expectedVersion, auditEntry, cancellationToken);

        public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.GetAuditTrailAsync(application, limit, cancellationToken);

        public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => inner.WatchAsync(onChanged, cancellationToken);
    }

    // Answers GET /slow after the application's own pipeline (so the maintenance middleware saw it) in 4 s.
    private sealed class SlowRequestFilter(TaskCompletionSource started, TaskCompletionSource finished) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(async context =>
            {
                if (context.Request.Path == "/slow")
                {
                    started.TrySetResult();
                    await Task.Delay(TimeSpan.FromSeconds(4));
                    finished.TrySetResult();
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
            });
        };
    }
}
