using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Drain;

/// <summary>
/// A real Kestrel app on a loopback port with maintenance mode over an in-memory store, and endpoints that stay open:
/// <c>/slow</c> (until <see cref="Release"/>), <c>/hang</c> (until aborted), <c>/events</c> and <c>/events-allowed</c>
/// (server-sent events, the second <c>.AllowDuringMaintenance()</c>) and <c>/ws</c> (a WebSocket that echoes).
/// </summary>
public sealed class DrainTestHost : IAsyncDisposable
{
    public const string Application = "Storefront";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DrainTestHost(WebApplication app, FakeTimeProvider? time)
    {
        App = app;
        Time = time;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>The clock of the drain (and of the whole host) when the test controls it.</summary>
    public FakeTimeProvider? Time { get; }

    /// <summary>Completed when <c>/slow</c> or <c>/hang</c> has begun running.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RequestDrain Drain => App.Services.GetRequiredService<RequestDrain>();

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    /// <param name="configuration">More <c>MaintenanceMode:</c> keys (e.g. <c>["MaintenanceMode:AllowedNetworks:0"] = "127.0.0.1/32"</c>).</param>
    /// <param name="fakeTime">Whether the test moves the clock itself (the drain timeout then passes on <see cref="FakeTimeProvider.Advance"/>).</param>
    public static async Task<DrainTestHost> StartAsync(Dictionary<string, string?>? configuration = null, bool fakeTime = true)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = Path.GetTempPath() });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MaintenanceMode:Application"] = Application });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.Services.AddFakeLogging();
        var time = fakeTime ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UseInMemoryStore();
        var app = builder.Build();
        DrainTestHost? host = null;
        app.UseWebSockets();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "real site");
        app.MapGet("/slow", async () =>
        {
            host!.Entered.TrySetResult();
            await host._release.Task;
            return "done";
        });
        app.MapGet("/hang", async (CancellationToken aborted) =>
        {
            host!.Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, aborted);
            return "never";
        });
        app.MapGet("/events", (CancellationToken aborted) => TypedResults.ServerSentEvents(Ticks(aborted)));
        app.MapGet("/events-allowed", (CancellationToken aborted) => TypedResults.ServerSentEvents(Ticks(aborted))).AllowDuringMaintenance();
        app.Map("/ws", EchoAsync);
        await app.StartAsync();
        host = new DrainTestHost(app, time);
        return host;
    }

    /// <summary>Lets <c>/slow</c> answer.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Switches Storefront's maintenance on and waits until this instance's snapshot shows it.</summary>
    public async Task EnableAsync()
    {
        await App.Services.GetRequiredService<IMaintenanceModeService>().EnableAsync(new EnableMaintenanceRequest { Application = Application, Reason = "Release 42" });
        await App.Services.GetRequiredService<MaintenanceStateMonitor>().ReloadAsync(CancellationToken.None);
        Assert.True(App.Services.GetRequiredService<MaintenanceStateMonitor>().Current.IsActive);
    }

    /// <summary>Opens <paramref name="path"/> as an event stream (as <c>EventSource</c> does) and returns its reader once the first event arrived.</summary>
    public async Task<StreamReader> OpenEventStreamAsync(string path, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());
        return reader;
    }

    /// <summary>Reads the stream until it ends (null, or the connection reset) and says whether that happened within <paramref name="within"/>.</summary>
    public static async Task<bool> EndsWithinAsync(StreamReader reader, TimeSpan within)
    {
        using var cancel = new CancellationTokenSource(within);
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return true;
        }
    }

    /// <summary>Whether the stream still delivers an event within <paramref name="within"/>.</summary>
    public static async Task<bool> StillStreamsAsync(StreamReader reader, TimeSpan within)
    {
        using var cancel = new CancellationTokenSource(within);
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    public async Task<ClientWebSocket> ConnectWebSocketAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri($"ws://{BaseAddress.Authority}/ws"), CancellationToken.None);
        return socket;
    }

    /// <summary>
    /// Waits until the drain has registered <paramref name="count"/> long-lived requests: that happens when the pipeline
    /// first returns without finishing one, a moment after the client saw its first bytes.
    /// </summary>
    public async Task WaitRegisteredAsync(int count) =>
        Assert.True(await EventuallyAsync(() => Drain.LongLived.Registered == count), $"{count} long-lived request(s) registered (found {Drain.LongLived.Registered})");

    /// <summary>Polls <paramref name="condition"/> for up to 10 s.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static async IAsyncEnumerable<string> Ticks([EnumeratorCancellation] CancellationToken aborted)
    {
        for (var i = 0; ; i++)
        {
            yield return $"stock {i}";
            await Task.Delay(50, aborted);
        }
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
        }
    }
}
