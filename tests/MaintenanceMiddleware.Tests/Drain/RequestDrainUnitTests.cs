using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Drain;

/// <summary>The drain on its own (no host: no hosting meter counts for it).</summary>
public sealed class RequestDrainUnitTests
{
    [Fact]
    public void Changed_is_raised_each_time_Drained_flips_and_not_otherwise()
    {
        using var drain = new RequestDrain(TimeSpan.FromSeconds(10), meterScope: new object());
        var seen = new List<bool>();
        drain.Changed += () => seen.Add(drain.Drained);

        drain.OnTransition(active: true);   // nothing in flight: not drained, then drained at once
        Assert.Equal(new[] { false, true }, seen);
        drain.OnTransition(active: true);   // no transition
        drain.OnTransition(active: false);  // already drained: Drained does not flip
        Assert.Equal(new[] { false, true }, seen);
        Assert.True(drain.Drained);
        Assert.Equal(0, drain.InFlightRequests);
    }

    [Fact]
    public async Task A_cold_path_request_that_completes_later_is_counted_until_it_does()
    {
        using var drain = new RequestDrain(TimeSpan.FromSeconds(10), meterScope: new object());
        var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        drain.ColdPathEntered();
        var task = drain.LeaveColdPathWhenDone(pending.Task);
        Assert.Equal(1, drain.ColdPathRequests);

        pending.SetResult();
        await task;
        Assert.Equal(0, drain.ColdPathRequests);

        drain.ColdPathEntered();
        Assert.Same(Task.CompletedTask, drain.LeaveColdPathWhenDone(Task.CompletedTask)); // synchronous: nothing allocated
        Assert.Equal(0, drain.ColdPathRequests);
    }

    [Fact]
    public void A_zero_drain_timeout_reports_drained_at_the_switch()
    {
        using var drain = new RequestDrain(TimeSpan.Zero, meterScope: new object());
        drain.OnTransition(active: true);
        Assert.True(drain.Drained);
    }
}
