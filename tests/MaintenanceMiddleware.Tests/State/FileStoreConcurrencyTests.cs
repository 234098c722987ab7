using System.Text.Json;
using System.Text.RegularExpressions;
using MaintenanceMiddleware;
using static MaintenanceMiddleware.Tests.State.FileStoreTestHelpers;

namespace MaintenanceMiddleware.Tests.State;

public sealed partial class FileStoreConcurrencyTests : IDisposable
{
    private const int Processes = 4;
    private const int ChangesPerProcess = 10;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Parallel_changes_from_several_processes_lose_no_audit_entry_and_leave_a_valid_state()
    {
        var path = _dir.Combine("state.json");
        var writers = Enumerable.Range(0, Processes)
            .Select(i => FileStoreWriterProcess.Start("toggle", path, "Storefront", ChangesPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), $"p{i}"))
            .ToList();
        var outputs = await Task.WhenAll(writers.Select(w => FileStoreWriterProcess.WaitForSuccessAsync(w, TimeSpan.FromSeconds(120))));
        foreach (var writer in writers)
        {
            writer.Dispose();
        }

        var successes = outputs.Sum(o => int.Parse(SuccessesPattern().Match(o).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Processes * ChangesPerProcess, successes);

        // The state file is valid JSON and every success moved the version by exactly one.
        using (JsonDocument.Parse(await File.ReadAllBytesAsync(path)))
        {
        }

        var store = Store(path);
        var state = Assert.Single(await store.GetStatesAsync());
        Assert.Equal(successes, state.Version);

        // One audit line per success, each a distinct version: no change overwrote another.
        var lines = (await File.ReadAllLinesAsync(store.AuditPath)).Where(l => l.Length > 0).ToList();
        Assert.Equal(successes, lines.Count);
        var trail = await store.GetAuditTrailAsync(limit: 1000);
        Assert.Equal(successes, trail.Count);
        Assert.Equal(Enumerable.Range(1, successes).Select(v => (long)v).Reverse(), trail.Select(e => e.After.Version));
        Assert.All(trail, e => Assert.Equal(e.After.Version - 1, e.Before.Version));
        Assert.Equal(Processes * ChangesPerProcess, trail.Select(e => e.Reason).Distinct().Count());
        Assert.Equal(state, trail[0].After with { AllowedNetworks = state.AllowedNetworks });
    }

    [Fact]
    public async Task Two_operators_racing_on_the_same_version_get_one_winner_and_one_conflict()
    {
        var path = _dir.Combine("state.json");
        var first = Service(Store(path));
        var second = Service(Store(path));

        var winner = await first.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "first", ExpectedVersion = 0 });
        var ex = await Assert.ThrowsAsync<MaintenanceConflictException>(() =>
            second.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "second", ExpectedVersion = 0 }));

        Assert.Equal(1, winner.Version);
        Assert.Equal(1, ex.ActualVersion);
        Assert.Equal(["first"], (await Store(path).GetAuditTrailAsync()).Select(e => e.Reason));
    }

    [GeneratedRegex(@"successes=(\d+)")]
    private static partial Regex SuccessesPattern();
}
