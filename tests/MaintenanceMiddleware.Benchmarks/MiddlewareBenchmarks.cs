using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace MaintenanceMiddleware.Benchmarks;

/// <summary>
/// The request path over a <see cref="DefaultHttpContext"/>: the cost the middleware adds with maintenance off (target:
/// under 10 ns over the pass-through baseline, 0 bytes), and the allowlisted and blocked paths with maintenance on.
/// Run: <c>dotnet run -c Release --project tests/MaintenanceMiddleware.Benchmarks -- --filter '*MiddlewareBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MiddlewareBenchmarks
{
    private static readonly RequestDelegate s_endpoint = static _ => Task.CompletedTask;

    // An endpoint still running when it returns (it awaits something): the task is never completed, so nothing runs after
    // (the benchmarks that use it return void, so BenchmarkDotNet does not wait for it).
    private static readonly Task s_running = new TaskCompletionSource().Task;
    private static readonly RequestDelegate s_asyncEndpoint = static _ => s_running;

    private readonly List<ServiceProvider> _providers = [];
    private string _contentRoot = string.Empty;
    private RequestDelegate _baseline = s_endpoint;
    private RequestDelegate _off = s_endpoint;
    private RequestDelegate _onAllowlisted = s_endpoint;
    private RequestDelegate _onPage = s_endpoint;
    private RequestDelegate _baselineAsync = s_endpoint;
    private RequestDelegate _offAsync = s_endpoint;
    private RequestDelegate _offBeforeDrain = s_endpoint;
    private RequestDelegate _offBeforeDrainAsync = s_endpoint;
    private DefaultHttpContext _visitor = new();
    private DefaultHttpContext _office = new();
    private DefaultHttpContext _browser = new();
    private DefaultHttpContext _germanBrowser = new();
    private DefaultHttpContext _browserOff = new();

    [GlobalSetup]
    public void Setup()
    {
        _contentRoot = Path.Combine(Path.GetTempPath(), "mm-bench-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(_contentRoot, "public", "Storefront", "maintenance");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "index.html"), "<!DOCTYPE html><html><head><title>Maintenance</title><link rel=\"stylesheet\" href=\"/maintenance/style.css\"></head><body>" + new string('x', 2048) + "</body></html>");

        // A localized page with placeholders: rendered once per state, then served like the static one.
        Directory.CreateDirectory(Path.Combine(folder, "de"));
        File.WriteAllText(Path.Combine(folder, "de", "index.html"), "<!DOCTYPE html><html lang=\"de\"><body><h1>{{application}}</h1><p>{{message}}</p><time>{{ends_at}}</time>" + new string('x', 2048) + "</body></html>");

        _baseline = new PassThroughMiddleware(s_endpoint).Invoke;
        _off = Build(enabled: false);
        _onAllowlisted = Build(enabled: true);
        _onPage = Build(enabled: true);
        _baselineAsync = new PassThroughMiddleware(s_asyncEndpoint).Invoke;
        _offAsync = Build(enabled: false, s_asyncEndpoint);
        _offBeforeDrain = BuildBeforeDrain(s_endpoint);
        _offBeforeDrainAsync = BuildBeforeDrain(s_asyncEndpoint);

        _visitor = NewContext("203.0.113.9");
        _office = NewContext("10.1.2.3");
        _browser = NewContext("203.0.113.9");
        _browser.Request.Headers.Accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        _browser.Response.Body = Stream.Null;
        _germanBrowser = NewContext("203.0.113.9");
        _germanBrowser.Request.Headers.Accept = _browser.Request.Headers.Accept;
        _germanBrowser.Request.Headers.AcceptLanguage = "de-CH,de;q=0.9,en;q=0.8";
        _germanBrowser.Response.Body = Stream.Null;

        // What a browser sends for a page (the drain's check for a WebSocket or an event stream reads two of these headers).
        _browserOff = NewContext("203.0.113.9");
        var headers = _browserOff.Request.Headers;
        headers.Accept = _browser.Request.Headers.Accept;
        headers.AcceptLanguage = "de-CH,de;q=0.9,en;q=0.8";
        headers.AcceptEncoding = "gzip, deflate, br, zstd";
        headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
        headers.Cookie = "cart=42-1";
        headers.Connection = "keep-alive";
        headers.Host = "shop.example";
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        Directory.Delete(_contentRoot, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task Baseline() => _baseline(_visitor);

    [Benchmark]
    public Task MaintenanceOff() => _off(_visitor);

    [Benchmark]
    public Task MaintenanceOff_BrowserHeaders() => _off(_browserOff);

    [Benchmark]
    public void Baseline_AsyncEndpoint() => _baselineAsync(_browserOff);

    [Benchmark]
    public void MaintenanceOff_AsyncEndpoint() => _offAsync(_browserOff);

    [Benchmark]
    public Task MaintenanceOff_BeforeDrain() => _offBeforeDrain(_visitor);

    [Benchmark]
    public void MaintenanceOff_BeforeDrain_AsyncEndpoint() => _offBeforeDrainAsync(_browserOff);

    [Benchmark]
    public Task MaintenanceOn_Allowlisted() => _onAllowlisted(_office);

    [Benchmark]
    public Task MaintenanceOn_Page() => _onPage(_browser);

    [Benchmark]
    public Task MaintenanceOn_LocalizedTemplatedPage() => _onPage(_germanBrowser);

    private RequestDelegate Build(bool enabled, RequestDelegate? endpoint = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment
        {
            ApplicationName = "Storefront",
            EnvironmentName = "Production",
            ContentRootPath = _contentRoot,
        });
        services.AddMaintenanceMode(o =>
        {
            o.Enabled = enabled;
            o.AllowedNetworks.Add("10.0.0.0/8");
        }).UseInMemoryStore();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        var middleware = ActivatorUtilities.CreateInstance<MaintenanceModeMiddleware>(provider, endpoint ?? s_endpoint);
        return middleware.Invoke;
    }

    // The maintenance-off path as it was before the drain (issue 11): the snapshot read and the branch, nothing after next.
    private RequestDelegate BuildBeforeDrain(RequestDelegate endpoint)
    {
        _ = Build(enabled: false);
        var monitor = _providers[^1].GetRequiredService<MaintenanceStateMonitor>();
        return new BeforeDrainMiddleware(endpoint, monitor).Invoke;
    }

    private static DefaultHttpContext NewContext(string ip)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/products/42";
        context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        return context;
    }

    /// <summary>The maintenance-off path before the drain, for a side-by-side figure in the same run.</summary>
    private sealed class BeforeDrainMiddleware(RequestDelegate next, MaintenanceStateMonitor monitor)
    {
        public Task Invoke(HttpContext context)
        {
            var snapshot = monitor.Current;
            return !snapshot.Intercepts ? next(context) : Task.CompletedTask;
        }
    }

    /// <summary>The baseline: a middleware of the same shape that only calls the next one.</summary>
    private sealed class PassThroughMiddleware(RequestDelegate next)
    {
        public Task Invoke(HttpContext context) => next(context);
    }
}
