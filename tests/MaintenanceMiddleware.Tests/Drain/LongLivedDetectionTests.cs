using MaintenanceMiddleware;
using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware.Tests.Drain;

/// <summary>Which requests the drain registers as long-lived (checked only for requests that do not finish synchronously).</summary>
public sealed class LongLivedDetectionTests
{
    [Theory]
    [InlineData("GET", null, "websocket", true)]                     // HTTP/1.1 WebSocket upgrade
    [InlineData("CONNECT", null, null, true)]                         // HTTP/2 extended CONNECT (WebSocket)
    [InlineData("GET", "text/event-stream", null, true)]              // EventSource
    [InlineData("GET", "Text/Event-Stream", null, true)]
    [InlineData("GET", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", null, false)]
    [InlineData("GET", "application/json", null, false)]
    [InlineData("POST", null, null, false)]
    [InlineData("GET", null, null, false)]
    public void A_request_is_long_lived_when_it_upgrades_connects_or_asks_for_an_event_stream(string method, string? accept, string? upgrade, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        if (upgrade is not null)
        {
            context.Request.Headers.Upgrade = upgrade;
            context.Request.Headers.Connection = "Upgrade";
        }

        Assert.Equal(expected, MaintenanceModeMiddleware.IsLongLived(context.Request));
    }

    [Theory]
    [InlineData("cart=42-1; .MaintenanceBypass=0a1b.t0ken; theme=dark", "0a1b.t0ken")]
    [InlineData(".MaintenanceBypass=0a1b.t0ken", "0a1b.t0ken")]
    [InlineData("x.MaintenanceBypass=nope; .MaintenanceBypassX=nope", null)]
    [InlineData(".MaintenanceBypass=%30a.tok", "0a.tok")]
    [InlineData("", null)]
    public void The_bypass_cookie_of_a_long_lived_request_is_read_from_the_raw_header(string header, string? expected) =>
        Assert.Equal(expected, LongLivedRequest.FindCookie(header, MaintenanceModeMiddleware.BypassCookie));
}
