using System.Net;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Tests.Notice;

/// <summary>gRPC callers during maintenance (issue 10, part 6): a real Grpc.Net.Client call to a real gRPC service on Kestrel (HTTP/2).</summary>
public sealed class GrpcTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = Path.GetTempPath() });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddRouting();
        builder.Services.AddLogging(l => l.ClearProviders());
        builder.Services.AddGrpc();
        builder.Services.AddMaintenanceMode(o =>
        {
            o.Application = "Orders";
            o.RetryAfter = TimeSpan.FromSeconds(30);
        }).UseStore(_ => new InMemoryMaintenanceStateStore());
        _app = builder.Build();
        _app.UseMaintenanceMode();
        _app.MapGrpcService<GreeterService>();
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        _channel = GrpcChannel.ForAddress(_address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Call_reaches_the_service_while_maintenance_is_off()
    {
        var answer = await _channel.CreateCallInvoker().AsyncUnaryCall(GreeterBase.HelloMethod, null, default, "Anna");

        Assert.Equal("Hello Anna", answer);
    }

    [Fact]
    public async Task Call_during_maintenance_fails_with_unavailable_the_public_message_and_a_retry_pushback()
    {
        await EnableAsync(message: "Zurück um 15:00 — 100% neu.", reason: "CVE-2026-1 internal");

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.CreateCallInvoker().AsyncUnaryCall(GreeterBase.HelloMethod, null, default, "Anna"));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal("Zurück um 15:00 — 100% neu.", ex.Status.Detail);
        Assert.Equal("30000", ex.Trailers.GetValue("grpc-retry-pushback-ms"));
        Assert.DoesNotContain("CVE", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_during_maintenance_without_a_message_gets_the_neutral_text_never_the_reason()
    {
        await EnableAsync(message: null, reason: "CVE-2026-1 internal");

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.CreateCallInvoker().AsyncUnaryCall(GreeterBase.HelloMethod, null, default, "Anna"));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(MaintenancePublicText.Neutral, ex.Status.Detail); // the same neutral text as problem+json, never the reason
    }

    [Fact]
    public async Task Raw_answer_is_http_200_trailers_only_with_percent_encoded_message_and_no_body()
    {
        await EnableAsync(message: "Back at 15:00 — 100%", reason: "r");
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, "/test.Greeter/Hello"))
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new("application/grpc");

        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.Version} {response.StatusCode} {response.Headers} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("14", Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.Equal("Back at 15:00 %E2%80%94 100%25", Assert.Single(response.Headers.GetValues("grpc-message")));
        Assert.Equal("30000", Assert.Single(response.Headers.GetValues("grpc-retry-pushback-ms")));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private async Task EnableAsync(string? message, string reason)
    {
        await _app.Services.GetRequiredService<IMaintenanceModeService>().EnableAsync(new() { Application = "Orders", Reason = reason, Message = message });
        var monitor = _app.Services.GetRequiredService<MaintenanceStateMonitor>();
        await monitor.ReloadAsync(CancellationToken.None);
        Assert.True(monitor.Current.IsActive);
    }

    /// <summary>A gRPC service base without protobuf, shaped as generated code is: one hand-written unary method, a UTF-8 string marshaller.</summary>
    [BindServiceMethod(typeof(GreeterBase), nameof(BindService))]
    public abstract class GreeterBase
    {
        private static readonly Marshaller<string> s_text = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

        public static Method<string, string> HelloMethod { get; } = new(MethodType.Unary, "test.Greeter", "Hello", s_text, s_text);

        public static void BindService(ServiceBinderBase binder, GreeterBase? service) =>
            binder.AddMethod(HelloMethod, service is null ? null : service.Hello);

        public virtual Task<string> Hello(string request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, string.Empty));
    }

    /// <summary>The service: answers "Hello {name}".</summary>
    public sealed class GreeterService : GreeterBase
    {
        public override Task<string> Hello(string request, ServerCallContext context) => Task.FromResult("Hello " + request);
    }
}
