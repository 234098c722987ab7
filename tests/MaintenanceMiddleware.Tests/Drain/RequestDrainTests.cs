using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Drain;

/// <summary>
/// The drain over a real Kestrel host: requests in flight when maintenance starts, the drain timeout, and the
/// WebSocket and server-sent-event connections of visitors who are (not) let through.
/// </summary>
public sealed class RequestDrainTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_request_in_flight_at_the_switch_is_counted_and_drained_only_after_it_finishes()
    {
        await using var host = await DrainTestHost.StartAsync(fakeTime: false);
        var flips = new ConcurrentQueue<bool>();
        host.Drain.Changed += () => flips.Enqueue(host.Drain.Drained);
        Assert.True(host.Drain.Drained);
        Assert.Equal(0, host.Drain.InFlightRequests);

        var slow = host.Client.GetStringAsync("/slow");
        await host.Entered.Task.WaitAsync(s_wait);
        await host.EnableAsync();

        Assert.False(host.Drain.Drained);
        Assert.Equal(1, host.Drain.InFlightRequests);

        // New requests get the maintenance answer and do not count as in flight from before.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync("/")).StatusCode);
        }

        Assert.False(host.Drain.Drained);
        Assert.Equal(1, host.Drain.InFlightRequests);

        host.Release();
        Assert.Equal("done", await slow.WaitAsync(s_wait));
        Assert.True(await DrainTestHost.EventuallyAsync(() => host.Drain.Drained));
        Assert.Equal(0, host.Drain.InFlightRequests);
        Assert.Equal(new[] { false, true }, flips.ToArray());
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "Drained");
    }

    [Fact]
    public async Task Drained_once_the_drain_timeout_passes_even_when_a_request_hangs()
    {
        await using var host = await DrainTestHost.StartAsync(new() { ["MaintenanceMode:DrainTimeout"] = "00:00:05" });
        var hang = host.Client.GetAsync("/hang");
        await host.Entered.Task.WaitAsync(s_wait);
        await host.EnableAsync();

        host.Time!.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(host.Drain.Drained);
        Assert.Equal(1, host.Drain.InFlightRequests);

        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(host.Drain.Drained);
        var timedOut = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "DrainTimedOut");
        Assert.Contains("up to 1 request(s) from before maintenance still running; 0 long-lived connection(s)", timedOut.Message, StringComparison.Ordinal);
        Assert.False(hang.IsCompleted); // an ordinary request is not ended, only reported
    }

    [Fact]
    public async Task An_event_stream_of_a_visitor_not_let_through_is_ended_after_the_drain_timeout()
    {
        await using var host = await DrainTestHost.StartAsync(new() { ["MaintenanceMode:DrainTimeout"] = "00:00:02" });
        using var stream = await host.OpenEventStreamAsync("/events");
        await host.WaitRegisteredAsync(1);
        await host.EnableAsync();

        Assert.Equal(1, host.Drain.OpenLongLivedConnections);
        Assert.False(host.Drain.Drained);
        Assert.True(await DrainTestHost.StillStreamsAsync(stream, s_wait)); // open until the timeout

        host.Time!.Advance(TimeSpan.FromSeconds(2));
        Assert.True(host.Drain.Drained);
        Assert.True(await DrainTestHost.EndsWithinAsync(stream, s_wait));
        Assert.True(await DrainTestHost.EventuallyAsync(() => host.Drain.OpenLongLivedConnections == 0));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "DrainTimedOut" && r.Message.Contains("; 1 long-lived connection(s)", StringComparison.Ordinal));

        // Reconnecting (EventSource does) gets the maintenance answer.
        var again = new HttpRequestMessage(HttpMethod.Get, "/events");
        again.Headers.Accept.ParseAdd("text/event-stream");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task An_event_stream_of_an_allowlisted_visitor_is_kept_and_does_not_hold_up_the_drain()
    {
        await using var host = await DrainTestHost.StartAsync(new()
        {
            ["MaintenanceMode:DrainTimeout"] = "00:00:02",
            ["MaintenanceMode:AllowedNetworks:0"] = "127.0.0.1/32",
        });
        using var stream = await host.OpenEventStreamAsync("/events");
        await host.WaitRegisteredAsync(1);
        await host.EnableAsync();

        Assert.Equal(0, host.Drain.OpenLongLivedConnections);
        Assert.True(await DrainTestHost.EventuallyAsync(() => host.Drain.Drained));
        host.Time!.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await DrainTestHost.StillStreamsAsync(stream, s_wait));
        Assert.True(await DrainTestHost.StillStreamsAsync(stream, s_wait));
    }

    [Fact]
    public async Task An_event_stream_on_an_AllowDuringMaintenance_endpoint_is_kept()
    {
        await using var host = await DrainTestHost.StartAsync(new() { ["MaintenanceMode:DrainTimeout"] = "00:00:02" });
        using var kept = await host.OpenEventStreamAsync("/events-allowed");
        using var ended = await host.OpenEventStreamAsync("/events");
        await host.WaitRegisteredAsync(2);
        await host.EnableAsync();

        Assert.Equal(1, host.Drain.OpenLongLivedConnections);
        host.Time!.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await DrainTestHost.EndsWithinAsync(ended, s_wait));
        Assert.True(await DrainTestHost.StillStreamsAsync(kept, s_wait));
        Assert.True(await DrainTestHost.StillStreamsAsync(kept, s_wait));
    }

    [Fact]
    public async Task A_WebSocket_of_a_visitor_not_let_through_is_closed_after_the_drain_timeout()
    {
        await using var host = await DrainTestHost.StartAsync(new() { ["MaintenanceMode:DrainTimeout"] = "00:00:02" });
        using var socket = await host.ConnectWebSocketAsync();
        await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[64];
        Assert.Equal(4, (await socket.ReceiveAsync(buffer, CancellationToken.None)).Count);
        await host.WaitRegisteredAsync(1);

        await host.EnableAsync();
        Assert.Equal(1, host.Drain.OpenLongLivedConnections);
        Assert.False(host.Drain.Drained);

        // Still open before the timeout.
        await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        Assert.Equal(4, (await socket.ReceiveAsync(buffer, CancellationToken.None)).Count);

        host.Time!.Advance(TimeSpan.FromSeconds(2));
        Assert.True(host.Drain.Drained);
        using var cancel = new CancellationTokenSource(s_wait);
        await Assert.ThrowsAsync<WebSocketException>(async () => await socket.ReceiveAsync(buffer, cancel.Token));
        Assert.NotEqual(WebSocketState.Open, socket.State);
        Assert.True(await DrainTestHost.EventuallyAsync(() => host.Drain.OpenLongLivedConnections == 0));
    }

    [Fact]
    public async Task A_WebSocket_upgrade_during_maintenance_gets_503()
    {
        await using var host = await DrainTestHost.StartAsync();
        await host.EnableAsync();

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/ws"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        Assert.Equal(0, host.Drain.OpenLongLivedConnections);
    }

    [Fact]
    public async Task Maintenance_ending_during_the_drain_keeps_every_connection_and_reports_drained()
    {
        await using var host = await DrainTestHost.StartAsync(new() { ["MaintenanceMode:DrainTimeout"] = "00:00:02" });
        using var stream = await host.OpenEventStreamAsync("/events");
        await host.WaitRegisteredAsync(1);
        await host.EnableAsync();
        Assert.False(host.Drain.Drained);

        await host.App.Services.GetRequiredService<IMaintenanceModeService>().DisableAsync(new DisableMaintenanceRequest { Application = DrainTestHost.Application, Reason = "Done" });
        await host.App.Services.GetRequiredService<MaintenanceStateMonitor>().ReloadAsync(CancellationToken.None);
        Assert.True(host.Drain.Drained);
        Assert.Equal(0, host.Drain.OpenLongLivedConnections);

        host.Time!.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await DrainTestHost.StillStreamsAsync(stream, s_wait));
    }

    [Fact]
    public async Task An_event_stream_of_a_bypass_link_holder_is_kept_and_one_without_the_cookie_is_ended()
    {
        await using var host = await DrainTestHost.StartAsync(new() { ["MaintenanceMode:DrainTimeout"] = "00:00:02" });
        var service = host.App.Services.GetRequiredService<IMaintenanceModeService>();
        var link = await service.CreateBypassLinkAsync(new CreateBypassLinkRequest { Application = DrainTestHost.Application, Name = "tester", Reason = "QA", Lifetime = TimeSpan.FromHours(1) });
        await host.App.Services.GetRequiredService<MaintenanceStateMonitor>().ReloadAsync(CancellationToken.None);
        var credential = link.Path[MaintenanceBypassLinkCreated.PathPrefix.Length..];

        using var kept = await host.OpenEventStreamAsync("/events", cookie: $"{MaintenanceModeMiddleware.BypassCookie}={credential}");
        using var ended = await host.OpenEventStreamAsync("/events");
        await host.WaitRegisteredAsync(2);
        await host.EnableAsync();

        Assert.Equal(1, host.Drain.OpenLongLivedConnections);
        host.Time!.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await DrainTestHost.EndsWithinAsync(ended, s_wait));
        Assert.True(await DrainTestHost.StillStreamsAsync(kept, s_wait));
        Assert.True(await DrainTestHost.StillStreamsAsync(kept, s_wait));
    }
}
