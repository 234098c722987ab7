using System.Diagnostics.Metrics;
using System.Net;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MaintenanceMiddleware.Tests.Request;

public class DiagnosticsTests
{
    [Fact]
    public async Task Blocked_and_allowed_requests_are_counted_with_their_reason()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "10.0.0.0/8");
        var meters = host.App.Services.GetRequiredService<IMeterFactory>();
        using var blocked = new MetricCollector<long>(meters, "MaintenanceMiddleware", "maintenance.requests.blocked");
        using var allowed = new MetricCollector<long>(meters, "MaintenanceMiddleware", "maintenance.requests.allowed");
        await host.SendAsync("/");
        await host.EnableAsync();

        await host.SendAsync("/");
        await host.SendAsync("/", accept: "application/json");
        await host.SendAsync("/", ip: IPAddress.Parse("10.0.0.1"));
        await host.SendAsync("/.well-known/security.txt");

        var blockedMeasurements = blocked.GetMeasurementSnapshot();
        Assert.Equal(2, blockedMeasurements.Count);
        Assert.Equal(1, blockedMeasurements.Count(m => m.MatchesTags(new KeyValuePair<string, object?>("maintenance.response", "html"))));
        Assert.Equal(1, blockedMeasurements.Count(m => m.MatchesTags(new KeyValuePair<string, object?>("maintenance.response", "json"))));
        var allowedMeasurements = allowed.GetMeasurementSnapshot();
        Assert.Equal(2, allowedMeasurements.Count);
        Assert.Contains(allowedMeasurements, m => m.MatchesTags(new KeyValuePair<string, object?>("maintenance.allowed_by", "allowlist")));
        Assert.Contains(allowedMeasurements, m => m.MatchesTags(new KeyValuePair<string, object?>("maintenance.allowed_by", "exempt")));
    }

    [Fact]
    public async Task Active_gauge_follows_the_state()
    {
        await using var host = await RequestTestHost.StartAsync();
        var meters = host.App.Services.GetRequiredService<IMeterFactory>();
        using var active = new MetricCollector<int>(meters, "MaintenanceMiddleware", "maintenance.active");

        active.RecordObservableInstruments();
        var before = active.LastMeasurement?.Value;
        await host.EnableAsync();
        active.RecordObservableInstruments();

        Assert.Equal(0, before);
        Assert.Equal(1, active.LastMeasurement?.Value);
    }

    [Fact]
    public async Task Health_check_is_healthy_and_reports_whether_maintenance_is_active()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Services = services => services.AddHealthChecks().AddMaintenanceModeCheck());
        var health = host.App.Services.GetRequiredService<HealthCheckService>();

        var off = (await health.CheckHealthAsync()).Entries["maintenance"];
        await host.EnableAsync();
        var on = (await health.CheckHealthAsync()).Entries["maintenance"];

        Assert.Equal(HealthStatus.Healthy, off.Status);
        Assert.Equal(false, off.Data["active"]);
        Assert.Contains("off", off.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, on.Status);
        Assert.Equal(true, on.Data["active"]);
        Assert.Contains("active", on.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_check_is_degraded_while_the_store_fails_and_the_last_state_is_served()
    {
        var store = new FailingStore();
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Store = store;
            s.Services = services => services.AddHealthChecks().AddMaintenanceModeCheck();
        });
        var health = host.App.Services.GetRequiredService<HealthCheckService>();
        await host.EnableAsync();

        store.Failing = true;
        await host.Monitor.ReloadAsync(CancellationToken.None);
        var entry = (await health.CheckHealthAsync()).Entries["maintenance"];
        var request = await host.SendAsync("/");

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("failing", entry.Description, StringComparison.Ordinal);
        Assert.Contains("last known state", entry.Description, StringComparison.Ordinal);
        Assert.Equal(true, entry.Data["active"]);
        Assert.IsType<MaintenanceStoreException>(entry.Exception);
        Assert.Equal(503, request.Response.StatusCode);
    }

    [Fact]
    public async Task Health_check_says_when_maintenance_is_forced_by_configuration()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:Enabled"] = "true";
            s.Services = services => services.AddHealthChecks().AddMaintenanceModeCheck("mm", ["ready"]);
        });
        var health = host.App.Services.GetRequiredService<HealthCheckService>();

        var entry = (await health.CheckHealthAsync()).Entries["mm"];

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("forced on by configuration", entry.Description, StringComparison.Ordinal);
        Assert.Equal(true, entry.Data["forcedByConfiguration"]);
        Assert.Contains("ready", entry.Tags);
    }

    [Fact]
    public async Task Requests_never_read_the_store()
    {
        var store = new FailingStore();
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Store = store;
            s.Services = services => services.AddHttpContextAccessor();
            s.Endpoints = app => app.MapGet("/probe", async () => (await store.GetStatesAsync()).Count);
        });

        // Reads made while a request is in flight on the same flow are counted; the monitor's background reloads are not.
        // The probe endpoint reads the store once, which proves a read inside a request is seen.
        store.RequestAccessor = host.App.Services.GetRequiredService<IHttpContextAccessor>();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await host.SendAsync("/")).Response.StatusCode);
        }

        await host.SendAsync("/probe");

        await host.EnableAsync();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(503, (await host.SendAsync("/")).Response.StatusCode);
        }

        Assert.Equal(1, store.ReadsInRequests);
    }

    private sealed class FailingStore : IMaintenanceStateStore
    {
        private readonly InMemoryMaintenanceStateStore _inner = new();
        private int _readsInRequests;

        public IHttpContextAccessor? RequestAccessor { get; set; }

        public volatile bool Failing;

        public int ReadsInRequests => Volatile.Read(ref _readsInRequests);

        public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
        {
            if (RequestAccessor?.HttpContext is not null)
            {
                Interlocked.Increment(ref _readsInRequests);
            }

            return Failing ? throw new MaintenanceStoreException("The test store is down.") : _inner.GetStatesAsync(cancellationToken);
        }

        public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
            _inner.SaveAsync(state, expectedVersion, auditEntry, cancellationToken);

        public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
            _inner.GetAuditTrailAsync(application, limit, cancellationToken);

        public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) =>
            _inner.WatchAsync(onChanged, cancellationToken);
    }
}
