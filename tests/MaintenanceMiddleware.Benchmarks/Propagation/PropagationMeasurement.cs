using System.Diagnostics;
using System.Globalization;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Benchmarks.Propagation;

/// <summary>
/// The measurement every propagation benchmark shares, whatever the store: hosts already started on one store, an
/// operator toggling through <see cref="IMaintenanceModeService"/>; first with HTTP pollers (commit until every host
/// answers 503, then 200), then through the hosts' gates (the snapshot swap, confirmed by one request per host).
/// </summary>
internal static class PropagationMeasurement
{
    public const string Application = "PropagationBench";

    /// <summary>Parses <c>"&lt;connection&gt;" [toggles] [--hosts N]</c>; <see langword="null"/> after printing the usage when they do not parse.</summary>
    public static async Task<(string Connection, int Toggles, int Hosts)?> ParseAsync(string[] args, string usage, int defaultHosts = 3)
    {
        var hosts = defaultHosts;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--hosts" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                hosts = n;
                i++;
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (positional.Count == 0 || (positional.Count > 1 && !int.TryParse(positional[1], CultureInfo.InvariantCulture, out _)))
        {
            await Console.Error.WriteLineAsync(usage).ConfigureAwait(false);
            return null;
        }

        return (positional[0], positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 100, hosts);
    }

    /// <summary>Runs both passes over <paramref name="apps"/> and prints the figures under <paramref name="title"/>.</summary>
    public static async Task RunAsync(string title, IMaintenanceModeService service, IReadOnlyList<WebApplication> apps, int toggles, Func<Task<string>> connections)
    {
        var actor = new MaintenanceActor("benchmark", "code");
        if ((await service.GetStatusAsync(Application).ConfigureAwait(false)).Own.Enabled)
        {
            await service.DisableAsync(new DisableMaintenanceRequest { Application = Application, Reason = "benchmark reset", Actor = actor }).ConfigureAwait(false);
        }

        var urls = apps.Select(a => new Uri(a.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/")).ToList();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 });
        await WaitAllAsync(client, urls, 200, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var held = await connections().ConfigureAwait(false);

        var afterCommit = new List<double>();
        var endToEnd = new List<double>();
        var back = new List<double>();
        for (var i = 0; i < toggles; i++)
        {
            var total = Stopwatch.StartNew();
            await service.EnableAsync(new EnableMaintenanceRequest { Application = Application, Reason = $"toggle {i}", Actor = actor }).ConfigureAwait(false);
            var committed = Stopwatch.StartNew();
            await WaitAllAsync(client, urls, 503, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            afterCommit.Add(committed.Elapsed.TotalMilliseconds);
            endToEnd.Add(total.Elapsed.TotalMilliseconds);

            await service.DisableAsync(new DisableMaintenanceRequest { Application = Application, Reason = $"toggle {i} done", Actor = actor }).ConfigureAwait(false);
            committed.Restart();
            await WaitAllAsync(client, urls, 200, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            back.Add(committed.Elapsed.TotalMilliseconds);
        }

        // Second pass without HTTP pollers competing for the CPU: the hosts' gates (IMaintenanceModeGate) signal the
        // snapshot swap, which is what the next request reads; one request per host then confirms the answer.
        var gates = apps.Select(a => a.Services.GetRequiredService<IMaintenanceModeGate>()).ToList();
        var swapOn = new List<double>();
        var swapOff = new List<double>();
        for (var i = 0; i < toggles; i++)
        {
            var started = Task.WhenAll(gates.Select(g => WhenCancelled(g.MaintenanceStartedToken)));
            await service.EnableAsync(new EnableMaintenanceRequest { Application = Application, Reason = $"gate toggle {i}", Actor = actor }).ConfigureAwait(false);
            var committed = Stopwatch.StartNew();
            await started.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            swapOn.Add(committed.Elapsed.TotalMilliseconds);
            await WaitAllAsync(client, urls, 503, TimeSpan.FromSeconds(1)).ConfigureAwait(false);

            await service.DisableAsync(new DisableMaintenanceRequest { Application = Application, Reason = $"gate toggle {i} done", Actor = actor }).ConfigureAwait(false);
            committed.Restart();
            await Task.WhenAll(gates.Select(g => g.WaitUntilEndedAsync())).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            swapOff.Add(committed.Elapsed.TotalMilliseconds);
            await WaitAllAsync(client, urls, 200, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        Console.WriteLine($"{title} propagation, {apps.Count} hosts (Kestrel on loopback), {toggles} toggles, {Environment.ProcessorCount} cores; idle hosts held {held}");
        Report("enable:  commit -> every host answers 503 (HTTP polling)", afterCommit);
        Report("enable:  call   -> every host answers 503 (HTTP polling)", endToEnd);
        Report("disable: commit -> every host answers 200 (HTTP polling)", back);
        Report("enable:  commit -> every host's snapshot on (gate)     ", swapOn);
        Report("disable: commit -> every host's snapshot off (gate)    ", swapOff);
    }

    /// <summary>Stops and disposes the hosts.</summary>
    public static async Task StopAsync(IEnumerable<WebApplication> apps)
    {
        foreach (var app in apps)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Polls every host at once, about every millisecond, until each answers the status; returns when the last one does.
    private static Task WaitAllAsync(HttpClient client, List<Uri> urls, int status, TimeSpan timeout) =>
        Task.WhenAll(urls.Select(async url =>
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                using (var response = await client.GetAsync(url).ConfigureAwait(false))
                {
                    if ((int)response.StatusCode == status)
                    {
                        return;
                    }
                }

                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"{url} did not answer {status} within {timeout}.");
                }

                // A breath between polls (about 1 ms), so the pollers do not starve the hosts they measure of CPU.
                await Task.Delay(1).ConfigureAwait(false);
            }
        }));

    private static Task WhenCancelled(CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(static d => ((TaskCompletionSource)d!).TrySetResult(), done);
        return done.Task;
    }

    private static void Report(string title, List<double> samples)
    {
        samples.Sort();
        double At(double p) => samples[Math.Clamp((int)Math.Ceiling(p * samples.Count) - 1, 0, samples.Count - 1)];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{title}: p50 {At(0.50):F2} ms, p99 {At(0.99):F2} ms, max {samples[^1]:F2} ms, min {samples[0]:F2} ms"));
    }
}
