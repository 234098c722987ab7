using System.Net;
using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware.Tests.Applications;

/// <summary><c>.DisabledWhileInMaintenance("Storefront")</c>, the attribute and the route-value form: 409 while the target is in maintenance.</summary>
public sealed class RefusedOperationTests
{
    private static void Operations(WebApplication app)
    {
        app.MapPost("/publish", () => "published").DisabledWhileInMaintenance("Storefront").AllowDuringMaintenance();
        app.MapPost("/environments/{app}/deploy", (string app) => $"deployed to {app}").DisabledWhileTargetInMaintenance("app");
        app.MapPost("/warm", WarmCaches);
    }

    [DisabledWhileInMaintenance("Storefront")]
    private static string WarmCaches() => "warmed";

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(ApplicationsTestHost host, string path)
    {
        using var response = await host.Client.PostAsync(new Uri(path, UriKind.Relative), null);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task While_the_target_is_in_maintenance_the_operation_answers_409_problem_naming_it_its_message_and_end()
    {
        await using var host = await ApplicationsTestHost.StartAsync(endpoints: Operations);
        var end = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "/publish")).Status);

        await host.SwitchAsync("Storefront", on: true, message: "Release 42 is being installed.", endsAt: end);
        await ApplicationsTestHost.UntilAsync(() => host.Gate.ForApplication("Storefront").IsActive, "the Storefront gate to flip");
        var (status, contentType, body) = await PostAsync(host, "/publish");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("application/problem+json", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(409, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Storefront is in maintenance", json.RootElement.GetProperty("title").GetString());
        Assert.Equal("Release 42 is being installed.", json.RootElement.GetProperty("detail").GetString());
        Assert.Equal("Storefront", json.RootElement.GetProperty("application").GetString());
        Assert.Equal(end, json.RootElement.GetProperty("endsAt").GetDateTimeOffset());
        Assert.DoesNotContain("INTERNAL", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "/environments/BackOffice/deploy")).Status); // another target is not affected

        await host.SwitchAsync("Storefront", on: false);
        await ApplicationsTestHost.UntilAsync(() => !host.Gate.ForApplication("Storefront").IsActive, "the Storefront gate to reopen");
        Assert.Equal((HttpStatusCode.OK, "published"), ((await PostAsync(host, "/publish")).Status, (await PostAsync(host, "/publish")).Body));
    }

    [Fact]
    public async Task The_attribute_on_a_handler_refuses_the_same_way()
    {
        await using var host = await ApplicationsTestHost.StartAsync(endpoints: Operations);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "/warm")).Status);

        await host.SwitchAsync("Storefront", on: true);
        await ApplicationsTestHost.UntilAsync(() => host.Gate.ForApplication("Storefront").IsActive, "the Storefront gate to flip");
        var (status, _, body) = await PostAsync(host, "/warm");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("\"detail\":\"Storefront is under maintenance.\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_whatever_the_host_says_an_endpoint_allowed_during_its_own_maintenance_is_still_refused()
    {
        await using var host = await ApplicationsTestHost.StartAsync(endpoints: Operations);
        await host.SwitchAsync("BackOffice", on: true);
        await host.SwitchAsync("Storefront", on: true);
        await ApplicationsTestHost.UntilAsync(() => host.Gate.IsActive && host.Gate.ForApplication("Storefront").IsActive, "both gates to flip");

        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(host, "/publish")).Status);               // AllowDuringMaintenance: the host lets it through, the target refuses
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostAsync(host, "/environments/Storefront/deploy")).Status); // the host's own 503 comes first

        await host.SwitchAsync("BackOffice", on: false);
        await ApplicationsTestHost.UntilAsync(() => !host.Gate.IsActive, "the Back Office to leave maintenance");
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(host, "/environments/Storefront/deploy")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(host, "/environments/storefront/deploy")).Status);
    }

    [Fact]
    public async Task A_route_value_naming_no_known_application_is_a_404_problem_not_a_pass()
    {
        await using var host = await ApplicationsTestHost.StartAsync(endpoints: Operations);

        var (status, contentType, body) = await PostAsync(host, "/environments/Payments/deploy");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Unknown application", json.RootElement.GetProperty("title").GetString());
        Assert.Equal("No application named 'Payments' is known here.", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_undeclared_application_in_DisabledWhileInMaintenance_stops_start_up_naming_it()
    {
        await using var app = ApplicationsTestHost.Build(endpoints: a => a.MapPost("/publish", () => "x").DisabledWhileInMaintenance("Shop"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.StartsWith("The endpoint 'HTTP: POST /publish' is disabled while 'Shop' is in maintenance (.DisabledWhileInMaintenance): The application 'Shop' is not declared by this host.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_value_that_the_route_does_not_have_stops_start_up_naming_it()
    {
        await using var app = ApplicationsTestHost.Build(endpoints: a => a.MapPost("/environments/{env}/deploy", (string env) => env).DisabledWhileTargetInMaintenance("app"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Equal("The endpoint 'HTTP: POST /environments/{env}/deploy' takes its target application from the route value 'app' (.DisabledWhileTargetInMaintenance), but its route '/environments/{env}/deploy' has no parameter '{app}'.", error.Message);
    }

    [Fact]
    public async Task Endpoints_without_the_metadata_are_untouched()
    {
        await using var host = await ApplicationsTestHost.StartAsync(endpoints: Operations);
        await host.SwitchAsync("Storefront", on: true);
        await ApplicationsTestHost.UntilAsync(() => host.Gate.ForApplication("Storefront").IsActive, "the Storefront gate to flip");

        using var response = await host.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StatusCodes.Status405MethodNotAllowed, (int)(await host.Client.GetAsync(new Uri("/publish", UriKind.Relative))).StatusCode);
    }
}
