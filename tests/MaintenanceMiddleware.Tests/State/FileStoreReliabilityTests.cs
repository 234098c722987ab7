using System.Diagnostics;
using System.Text.RegularExpressions;
using MaintenanceMiddleware;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>The fault runs, bounded in count and time: racing writers, and damaged state files under requests.</summary>
public sealed partial class FileStoreReliabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => _dir.Combine("App_Data", "maintenance", "state.json");

    [Fact]
    public async Task Writers_racing_from_tasks_and_a_child_process_get_one_audit_entry_per_success_and_consecutive_versions()
    {
        const int Tasks = 4;
        const int ChangesPerTask = 8;
        const int ChildChanges = 8;
        var started = Stopwatch.StartNew();
        using var child = FileStoreWriterProcess.Start("toggle", StatePath, "Storefront", ChildChanges.ToString(System.Globalization.CultureInfo.InvariantCulture), "child");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var inProcess = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            var service = Service(Store(StatePath)); // one store per task: every writer takes the cross-process lock
            var successes = 0;
            for (var i = 0; i < ChangesPerTask; i++)
            {
                while (true)
                {
                    timeout.Token.ThrowIfCancellationRequested();
                    try
                    {
                        var reason = $"task {t} change {i}";
                        await (i % 2 == 0 ? service.EnableAsync("Storefront", reason) : service.DisableAsync("Storefront", reason));
                        successes++;
                        break;
                    }
                    catch (MaintenanceConflictException)
                    {
                        await Task.Delay(Random.Shared.Next(1, 5));
                    }
                }
            }

            return successes;
        })));
        var output = await FileStoreWriterProcess.WaitForSuccessAsync(child, TimeSpan.FromSeconds(60));
        var childSuccesses = int.Parse(SuccessesPattern().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var total = inProcess.Sum() + childSuccesses;
        Assert.Equal((Tasks * ChangesPerTask) + ChildChanges, total);
        var store = Store(StatePath);
        var state = Assert.Single(await store.GetStatesAsync());
        Assert.Equal(total, state.Version);
        var trail = await store.GetAuditTrailAsync(limit: 1000);
        Assert.Equal(total, trail.Count);
        Assert.Equal(Enumerable.Range(1, total).Select(v => (long)v).Reverse(), trail.Select(e => e.After.Version));
        Assert.All(trail, e => Assert.Equal(e.After.Version - 1, e.Before.Version));
        Assert.Equal(total, trail.Select(e => e.Reason).Distinct().Count());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"The run took {started.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task Corrupt_truncated_and_vanished_state_files_under_requests_answer_only_503_and_keep_the_last_state()
    {
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath);
        await host.Service.EnableAsync("Storefront", "Release 42");
        await host.WaitForStatusAsync(503, TimeSpan.FromSeconds(5));
        var valid = await File.ReadAllTextAsync(StatePath);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        var statuses = new Dictionary<int, int>();
        var requests = Task.Run(async () =>
        {
            for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
            {
                var status = await host.GetStatusCodeAsync();
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }
            }
        });

        Action[] damage =
        [
            () => File.WriteAllText(StatePath, "this is not JSON"),
            () => File.WriteAllText(StatePath, valid[..(valid.Length / 2)]),
            () => File.WriteAllText(StatePath, string.Empty),
            () => File.Delete(StatePath),
            () => Directory.CreateDirectory(StatePath),
            () => Directory.Delete(StatePath),
            () => File.WriteAllText(StatePath, valid),
        ];
        for (var round = 0; round < 3 && !stop.IsCancellationRequested; round++)
        {
            foreach (var step in damage)
            {
                step();
                await Task.Delay(120);
            }
        }

        await stop.CancelAsync();
        await requests;

        Assert.Equal([503], statuses.Keys);
        Assert.True(statuses[503] > 50, $"Only {statuses[503]} requests ran during the damage.");
        Assert.True(host.Monitor.Current.IsActive);
        Assert.Equal("Release 42", host.Monitor.Current.Effective.Reason);

        // The file is valid again: the host follows it, and a change goes through.
        await WaitUntilAsync(() => host.Monitor.StoreHealthy, TimeSpan.FromSeconds(5), "the store is healthy again");
        await host.Service.DisableAsync("Storefront");
        await host.WaitForStatusAsync(200, TimeSpan.FromSeconds(5));
    }

    [GeneratedRegex(@"successes=(\d+)")]
    private static partial Regex SuccessesPattern();
}
