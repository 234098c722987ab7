using System.Net;
using MaintenanceMiddleware;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.Options;

/// <summary>
/// Enabled, AllowedNetworks, ExemptPaths and RetryAfter follow an edit of a real JSON configuration file
/// (reloadOnChange: true) without a restart; an invalid edit keeps the last valid options and logs the key.
/// </summary>
public sealed class OptionsReloadTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly IPAddress s_visitor = IPAddress.Parse("192.0.2.7");
    private readonly string _contentRoot = RequestTestHost.NewContentRoot();
    private RequestTestHost? _host;

    private string SettingsPath => Path.Combine(_contentRoot, "maintenancesettings.json");

    private RequestTestHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync(); // deletes the content root
        }
        else
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
    }

    [Fact]
    public async Task Editing_AllowedNetworks_lets_an_address_in_without_a_restart()
    {
        await StartAsync("""{ "MaintenanceMode": { "Enabled": true, "AllowedNetworks": [ "10.0.0.1" ] } }""");
        Assert.Equal(503, await StatusAsync("/", s_visitor));

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true, "AllowedNetworks": [ "10.0.0.1", "192.0.2.0/24" ] } }""");

        await WaitForStatusAsync("/", s_visitor, 200);
        Assert.Equal(503, await StatusAsync("/", IPAddress.Parse("198.51.100.1")));
        Assert.Contains(Host.Logs.GetSnapshot(), r => r.Id.Name == "OptionsReloaded" && r.Message.Contains("AllowedNetworks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Editing_Enabled_takes_the_site_down_and_back_up_without_a_restart()
    {
        await StartAsync("""{ "MaintenanceMode": { "Enabled": false } }""");
        Assert.Equal(200, await StatusAsync("/", s_visitor));

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true } }""");
        await WaitForStatusAsync("/", s_visitor, 503);
        Assert.True(Host.Monitor.Current.ForcedByConfiguration);
        Assert.True(Host.App.Services.GetRequiredService<IMaintenanceModeGate>().IsActive);
        var status = await Host.Service.GetStatusAsync();
        Assert.True(status.IsActive);
        Assert.True(status.ForcedByConfiguration);

        await EditAsync("""{ "MaintenanceMode": { "Enabled": false } }""");
        await WaitForStatusAsync("/", s_visitor, 200);
        Assert.False(Host.App.Services.GetRequiredService<IMaintenanceModeGate>().IsActive);
        Assert.False((await Host.Service.GetStatusAsync()).ForcedByConfiguration);
    }

    [Fact]
    public async Task Editing_RetryAfter_and_ExemptPaths_applies_to_the_next_response()
    {
        await StartAsync("""{ "MaintenanceMode": { "Enabled": true, "RetryAfter": "00:05:00" } }""");
        Assert.Equal("300", (await Host.SendAsync("/", ip: s_visitor)).Response.Headers.RetryAfter.ToString());
        Assert.Equal(503, await StatusAsync("/health/live", s_visitor));

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true, "RetryAfter": "00:01:00", "ExemptPaths": [ "/health" ] } }""");

        await WaitForStatusAsync("/health/live", s_visitor, 200);
        var response = (await Host.SendAsync("/", ip: s_visitor)).Response;
        Assert.Equal(503, response.StatusCode);
        Assert.Equal("60", response.Headers.RetryAfter.ToString());
        Assert.Equal(503, await StatusAsync("/.well-known/security.txt", s_visitor)); // setting ExemptPaths replaces the default
    }

    [Fact]
    public async Task An_invalid_edit_keeps_the_last_valid_options_and_logs_the_key_then_a_valid_edit_applies()
    {
        await StartAsync("""{ "MaintenanceMode": { "Enabled": true, "AllowedNetworks": [ "192.0.2.7" ] } }""");
        Assert.Equal(200, await StatusAsync("/", s_visitor));

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true, "AllowedNetworks": [ "10.0.0.1", "x" ] } }""");
        var rejected = await WaitForLogAsync("OptionsReloadRejected");

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, rejected.Level);
        Assert.Contains("MaintenanceMode:AllowedNetworks:1: 'x'", rejected.Message, StringComparison.Ordinal);
        Assert.Null(rejected.Exception); // the message says it all: no stack trace in the log
        Assert.Equal(200, await StatusAsync("/", s_visitor));
        Assert.Equal(["192.0.2.7"], Host.Monitor.Current.Options.AllowedNetworks);

        // Why the framework's IOptionsMonitor is not used for this: after an invalid reload every CurrentValue read throws.
        Assert.Throws<OptionsValidationException>(() => Host.App.Services.GetRequiredService<IOptionsMonitor<MaintenanceModeOptions>>().CurrentValue);

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true, "AllowedNetworks": [ "10.0.0.1" ] } }""");
        await WaitForStatusAsync("/", s_visitor, 503);
    }

    [Fact]
    public async Task A_value_that_does_not_convert_keeps_the_last_valid_options_and_logs_the_key()
    {
        await StartAsync("""{ "MaintenanceMode": { "Enabled": true, "RetryAfter": "00:05:00" } }""");

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true, "RetryAfter": "soon" } }""");
        var rejected = await WaitForLogAsync("OptionsReloadRejected");

        Assert.Contains("MaintenanceMode:RetryAfter", rejected.Message, StringComparison.Ordinal);
        Assert.Equal("300", (await Host.SendAsync("/", ip: s_visitor)).Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task An_edit_of_a_start_up_only_option_is_not_applied_and_says_a_restart_is_needed()
    {
        await StartAsync("""{ "MaintenanceMode": { "Enabled": true } }""");
        var snapshot = Host.Monitor.Current;

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true, "AssetsPath": "/offline" } }""");
        var warning = await WaitForLogAsync("OptionsNeedRestart");

        Assert.Contains("MaintenanceMode:AssetsPath", warning.Message, StringComparison.Ordinal);
        Assert.Same(snapshot, Host.Monitor.Current); // nothing reloadable changed: no swap
        Assert.Equal(200, (await Host.SendAsync("/maintenance/style.css", ip: s_visitor)).Response.StatusCode);
    }

    [Fact]
    public async Task In_production_an_allowlist_added_by_an_edit_is_refused_while_forwarded_headers_trust_every_peer()
    {
        // Start-up refuses this combination in Production (ForwardedHeadersTrustEveryPeerTests); an edit must not open it later.
        await StartAsync("""{ "MaintenanceMode": { "Enabled": true } }""", production: true);

        await EditAsync("""{ "MaintenanceMode": { "Enabled": true, "AllowedNetworks": [ "192.0.2.7" ] } }""");
        var rejected = await WaitForLogAsync("OptionsReloadRejected");

        Assert.Contains("KnownProxies", rejected.Message, StringComparison.Ordinal);
        Assert.Empty(Host.Monitor.Current.Options.AllowedNetworks);
        Assert.Equal(503, (await Host.SendAsync("/", ip: IPAddress.Parse("203.0.113.9"), configure: c => c.Request.Headers["X-Forwarded-For"] = "192.0.2.7")).Response.StatusCode);
    }

    private async Task StartAsync(string json, bool production = false)
    {
        await File.WriteAllTextAsync(SettingsPath, json);
        _host = await RequestTestHost.StartAsync(
            s =>
            {
                s.ConfigurationSources = b => b.AddJsonFile(SettingsPath, optional: false, reloadOnChange: true);
                if (production)
                {
                    s.EnvironmentName = "Production";
                    s.Services = services => services.Configure<ForwardedHeadersOptions>(o =>
                    {
                        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
                        o.KnownProxies.Clear();
                        o.KnownIPNetworks.Clear();
                    });
                    s.Before = app => app.UseForwardedHeaders();
                }
            },
            _contentRoot);
    }

    private async Task EditAsync(string json)
    {
        // Through a temporary file and a rename, as editors and deployments write: the watcher never sees half a file.
        var temp = SettingsPath + ".tmp";
        await File.WriteAllTextAsync(temp, json);
        File.Move(temp, SettingsPath, overwrite: true);
    }

    private async Task<int> StatusAsync(string path, IPAddress ip) => (await Host.SendAsync(path, ip: ip)).Response.StatusCode;

    private async Task WaitForStatusAsync(string path, IPAddress ip, int status)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        int last;
        while ((last = await StatusAsync(path, ip)) != status)
        {
            Assert.False(timeout.IsCancellationRequested, $"{path} from {ip} still answered {last}, not {status}, {s_timeout.TotalSeconds} s after the edit.");
            await Task.Delay(50);
        }
    }

    private async Task<FakeLogRecord> WaitForLogAsync(string eventName)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        while (true)
        {
            var record = Host.Logs.GetSnapshot().FirstOrDefault(r => r.Id.Name == eventName);
            if (record is not null)
            {
                return record;
            }

            Assert.False(timeout.IsCancellationRequested, $"No {eventName} log {s_timeout.TotalSeconds} s after the edit.");
            await Task.Delay(50);
        }
    }
}
