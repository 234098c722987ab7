using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Benchmarks.Load;

/// <summary>
/// The whole-process hosts that <c>Load/run-wrk.sh</c> puts under wrk, side by side:
/// <list type="bullet">
/// <item><c>bare</c>: no middleware, <c>GET /</c> answers a short text (the baseline for "maintenance off").</item>
/// <item><c>off</c>: <c>UseMaintenanceMode()</c> with maintenance off, same endpoint.</item>
/// <item><c>on</c>: maintenance forced on; every request gets the maintenance page (503).</item>
/// <item><c>on-&lt;N&gt;</c> (e.g. <c>on-1</c>, <c>on-10000</c>): as <c>on</c>, with an allowlist of N IPv4 networks that
/// do not hold the client, so each request is looked up and answered 503 (<c>Load/run-wrk-allowlist.sh</c>).</item>
/// <item><c>bare-async</c>, <c>off-async</c>: as <c>bare</c> and <c>off</c>, with an endpoint that goes asynchronous (<c>await Task.Yield()</c>) before it answers.</item>
/// <item><c>bare-page</c>: no middleware; an endpoint writes the same page bytes with 503 from memory (the in-process baseline for "on").</item>
/// </list>
/// nginx serving the same file is the out-of-process baseline (see the script).
/// </summary>
internal static class LoadHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("usage: host <bare|off|on|on-N|bare-page> <port> <content-root holding public/Storefront/maintenance/index.html>").ConfigureAwait(false);
            return 2;
        }

        var (variant, port, contentRoot) = (args[0], args[1], Path.GetFullPath(args[2]));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, ApplicationName = "Storefront" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var allowListSize = 0;
        var asyncEndpoint = variant.EndsWith("-async", StringComparison.Ordinal);
        if (asyncEndpoint)
        {
            variant = variant[..^"-async".Length];
        }

        if (variant.StartsWith("on-", StringComparison.Ordinal) && int.TryParse(variant.AsSpan(3), out allowListSize))
        {
            variant = "on";
        }

        var useMiddleware = variant is "off" or "on";
        if (useMiddleware)
        {
            builder.Services.AddMaintenanceMode(options =>
            {
                options.Application = "Storefront";
                options.Enabled = variant == "on";
                foreach (var network in AllowListEntries.IPv4(allowListSize))
                {
                    options.AllowedNetworks.Add(network);
                }
            }).UseInMemoryStore();
        }

        var app = builder.Build();
        if (useMiddleware)
        {
            app.UseMaintenanceMode();
        }

        if (variant == "bare-page")
        {
            var page = await File.ReadAllBytesAsync(Path.Combine(contentRoot, "public", "Storefront", "maintenance", "index.html")).ConfigureAwait(false);
            app.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.RetryAfter = "300";
                context.Response.ContentLength = page.Length;
                return context.Response.Body.WriteAsync(page).AsTask();
            });
        }
        else
        {
            if (asyncEndpoint)
            {
                // An endpoint that goes asynchronous before it answers (as one that awaits a database does).
                app.MapGet("/", async () =>
                {
                    await Task.Yield();
                    return "Hello from the Storefront";
                });
            }
            else
            {
                app.MapGet("/", () => "Hello from the Storefront");
            }
        }

        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
