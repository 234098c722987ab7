using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.Applications;

/// <summary><c>AddHttpClient(...).AddMaintenanceGate("Storefront")</c>: nothing sent during maintenance, calls in flight cancelled.</summary>
public sealed class GatedClientTests
{
    [Fact]
    public async Task While_the_target_is_in_maintenance_nothing_is_sent_and_the_exception_carries_the_public_message_only()
    {
        var storefront = new StubStorefront();
        await using var host = await ApplicationsTestHost.StartAsync(services =>
            services.AddHttpClient("storefront", c => c.BaseAddress = new Uri("http://storefront.test"))
                .ConfigurePrimaryHttpMessageHandler(() => storefront)
                .AddMaintenanceGate("Storefront"));
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("storefront");
        var end = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

        (await client.GetAsync(new Uri("/ping", UriKind.Relative))).Dispose();
        await host.SwitchAsync("Storefront", on: true, message: "Release 42 is being installed.", endsAt: end);
        await ApplicationsTestHost.UntilAsync(() => host.Gate.ForApplication("Storefront").IsActive, "the Storefront gate to flip");
        var error = await Assert.ThrowsAsync<ApplicationInMaintenanceException>(() => client.GetAsync(new Uri("/ping", UriKind.Relative)));

        Assert.Equal(1, storefront.Requests); // the one before maintenance
        Assert.Equal("Storefront", error.Application);
        Assert.Equal("Release 42 is being installed.", error.PublicMessage);
        Assert.Equal(end, error.EndsAt);
        Assert.False(error.WasInFlight);
        Assert.Equal("Storefront is in maintenance until 2030-01-01 12:00 UTC: Release 42 is being installed. Nothing was sent.", error.Message);
        Assert.DoesNotContain("INTERNAL", error.ToString(), StringComparison.Ordinal);

        await host.SwitchAsync("Storefront", on: false);
        await ApplicationsTestHost.UntilAsync(() => !host.Gate.ForApplication("Storefront").IsActive, "the Storefront gate to reopen");
        (await client.GetAsync(new Uri("/ping", UriKind.Relative))).Dispose();
        Assert.Equal(2, storefront.Requests);
    }

    [Fact]
    public async Task Without_a_public_message_the_exception_says_a_neutral_text_not_the_reason()
    {
        var storefront = new StubStorefront();
        await using var host = await ApplicationsTestHost.StartAsync(services =>
            services.AddHttpClient("storefront", c => c.BaseAddress = new Uri("http://storefront.test"))
                .ConfigurePrimaryHttpMessageHandler(() => storefront)
                .AddMaintenanceGate("Storefront"));
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("storefront");

        await host.SwitchAsync("Storefront", on: true);
        await ApplicationsTestHost.UntilAsync(() => host.Gate.ForApplication("Storefront").IsActive, "the Storefront gate to flip");
        var error = await Assert.ThrowsAsync<ApplicationInMaintenanceException>(() => client.GetAsync(new Uri("/ping", UriKind.Relative)));

        Assert.Equal("Storefront is under maintenance.", error.PublicMessage);
        Assert.Null(error.EndsAt);
        Assert.Equal(0, storefront.Requests);
    }

    [Fact]
    public async Task A_call_in_flight_when_maintenance_begins_is_cancelled_with_the_same_exception()
    {
        var storefront = new StubStorefront { Hold = true };
        await using var host = await ApplicationsTestHost.StartAsync(services =>
            services.AddHttpClient("storefront", c => c.BaseAddress = new Uri("http://storefront.test"))
                .ConfigurePrimaryHttpMessageHandler(() => storefront)
                .AddMaintenanceGate("Storefront"));
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("storefront");

        var call = client.GetAsync(new Uri("/slow", UriKind.Relative));
        await storefront.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await host.SwitchAsync("Storefront", on: true, message: "Back at noon.");
        var error = await Assert.ThrowsAsync<ApplicationInMaintenanceException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.True(error.WasInFlight);
        Assert.Equal("Back at noon.", error.PublicMessage);
        Assert.True(storefront.SawCancellation);
    }

    [Fact]
    public async Task A_gated_client_for_an_undeclared_application_stops_start_up_naming_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = ApplicationsTestHost.Build(services => services.AddHttpClient("shop").AddMaintenanceGate("Shop"));
            await app.StartAsync();
        });

        Assert.Contains("AddMaintenanceGate on the HttpClient 'shop': The application 'Shop' is not declared by this host. Add it to MaintenanceMode:Applications", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Stands for the Storefront's server: counts what reaches it; can hold a call until it is cancelled.</summary>
    private sealed class StubStorefront : HttpMessageHandler
    {
        private int _requests;

        public bool Hold { get; init; }

        public int Requests => Volatile.Read(ref _requests);

        public bool SawCancellation { get; private set; }

        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            Arrived.TrySetResult();
            if (Hold)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    SawCancellation = true;
                    throw;
                }
            }

            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}
