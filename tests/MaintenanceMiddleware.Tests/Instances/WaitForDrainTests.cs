using MaintenanceMiddleware;
using MaintenanceMiddleware.Tests.Drain;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Instances;

/// <summary>A wait on a real Kestrel host: a request in flight at the switch holds the confirmation up until it finishes.</summary>
public sealed class WaitForDrainTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_wait_confirms_only_after_the_request_in_flight_at_the_switch_finished_and_says_so_meanwhile()
    {
        await using var host = await DrainTestHost.StartAsync(new() { ["MaintenanceMode:HeartbeatInterval"] = "00:00:01" }, fakeTime: false);
        var service = host.App.Services.GetRequiredService<IMaintenanceModeService>();
        var registry = (IMaintenanceInstanceRegistry)host.App.Services.GetRequiredService<IMaintenanceStateStore>();
        var slow = host.Client.GetStringAsync("/slow");
        await host.Entered.Task.WaitAsync(s_wait);

        var state = await service.EnableAsync(new EnableMaintenanceRequest { Application = DrainTestHost.Application, Reason = "Release 42" });
        var waiting = service.WaitForInstancesAsync(DrainTestHost.Application, state.Version, TimeSpan.FromSeconds(20));

        Assert.True(await DrainTestHost.EventuallyAsync(() =>
            registry.GetInstancesAsync().Result.Instances.Any(i => i.AppliedVersionOf(DrainTestHost.Application) == state.Version && i.Pending == "1 request in flight" && i.InFlightRequests == 1)));
        Assert.False(waiting.IsCompleted);

        host.Release();
        Assert.Equal("done", await slow.WaitAsync(s_wait));
        var result = await waiting.WaitAsync(s_wait);

        Assert.True(result.Confirmed);
        Assert.Equal("applied v1, drained, in maintenance", Assert.Single(result.Instances).Detail);
    }
}
