using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging.Abstractions;

namespace MaintenanceMiddleware.Tests.Hooks;

public sealed class MaintenanceHooksDispatcherTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static MaintenanceSnapshot Snapshot(bool active) =>
        MaintenanceSnapshot.Compute("Storefront", [], IpAllowList.Empty, forcedByConfiguration: active, s_now);

    [Fact]
    public async Task Gate_flips_inside_the_snapshot_callback_and_observers_run_in_order_once_started()
    {
        var calls = new ConcurrentQueue<string>();
        using var gate = new MaintenanceModeGate();
        var last = new RecordingObserver();
        using var dispatcher = new MaintenanceHooksDispatcher(
            gate,
            [new NamedObserver("first", calls), new NamedObserver("second", calls), last],
            NullLogger<MaintenanceHooksDispatcher>.Instance);

        dispatcher.OnSnapshotChanged(null, Snapshot(active: true));

        Assert.True(gate.IsActive);
        Assert.True(gate.MaintenanceStartedToken.IsCancellationRequested);
        Assert.Empty(calls); // observers wait for the host to start

        await dispatcher.StartAsync(CancellationToken.None);
        Assert.Equal("started", (await last.NextAsync(s_timeout, "started")).Hook);
        Assert.Equal(new[] { "first started", "second started" }, calls.ToArray());

        dispatcher.OnSnapshotChanged(Snapshot(active: true), Snapshot(active: false));
        Assert.False(gate.IsActive);
        Assert.Equal("ended", (await last.NextAsync(s_timeout, "ended")).Hook);
        Assert.Equal(new[] { "first started", "second started", "first ended", "second ended" }, calls.ToArray());
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_snapshot_that_does_not_change_activity_tells_no_observer()
    {
        using var gate = new MaintenanceModeGate();
        var observer = new RecordingObserver();
        using var dispatcher = new MaintenanceHooksDispatcher(gate, [observer], NullLogger<MaintenanceHooksDispatcher>.Instance);
        await dispatcher.StartAsync(CancellationToken.None);

        dispatcher.OnSnapshotChanged(null, Snapshot(active: false));
        dispatcher.OnSnapshotChanged(Snapshot(active: true), Snapshot(active: true));
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.False(gate.IsActive);
        Assert.False(observer.TryGetNext(out _));
    }

    [Fact]
    public void State_files_use_no_type_declared_in_Hooks()
    {
        var source = FindSourceFolder();
        var hookTypes = Directory.EnumerateFiles(Path.Combine(source, "Hooks"), "*.cs")
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\b(?:class|interface|record|struct|enum)\s+(\w+)").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.Contains("MaintenanceModeGate", hookTypes);

        var offenders = Directory.EnumerateFiles(Path.Combine(source, "State"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => hookTypes.Where(t => Regex.IsMatch(File.ReadAllText(f), $@"\b{t}\b")).Select(t => $"{Path.GetFileName(f)} uses {t}"))
            .ToList();

        Assert.Empty(offenders);
    }

    private static string FindSourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "MaintenanceMiddleware");
            if (Directory.Exists(Path.Combine(candidate, "Hooks")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/MaintenanceMiddleware not found above " + AppContext.BaseDirectory);
    }

    private sealed class NamedObserver(string name, ConcurrentQueue<string> calls) : IMaintenanceModeObserver
    {
        public Task OnMaintenanceStartedAsync(MaintenanceState state, CancellationToken cancellationToken)
        {
            calls.Enqueue($"{name} started");
            return Task.CompletedTask;
        }

        public Task OnMaintenanceEndedAsync(MaintenanceState state, CancellationToken cancellationToken)
        {
            calls.Enqueue($"{name} ended");
            return Task.CompletedTask;
        }
    }
}
