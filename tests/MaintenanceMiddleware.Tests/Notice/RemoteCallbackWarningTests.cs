using System.Text.Encodings.Web;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.Notice;

/// <summary>The start-up warning for sign-in callbacks that maintenance would block (issue 10, part 6).</summary>
public class RemoteCallbackWarningTests
{
    [Fact]
    public async Task Blocked_callback_is_warned_about_naming_the_path_the_scheme_and_the_option()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Services = AddSchemes);

        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "RemoteCallbackBlocked");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(
            "The sign-in callback '/signin-idp' of the authentication scheme 'idp' is blocked during maintenance: a sign-in that returns there gets the maintenance page. " +
            "To keep it open, add it to the exempt paths (MaintenanceMode:ExemptPaths:0=/signin-idp) (listing paths replaces the default '/.well-known/': list it too, as MaintenanceMode:ExemptPaths:1).",
            warning.Message);
    }

    [Fact]
    public async Task Exempt_callback_is_not_warned_about()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:ExemptPaths:0"] = "/.well-known/";
            s.Configuration["MaintenanceMode:ExemptPaths:1"] = "/signin-idp";
            s.Services = AddSchemes;
        });

        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "RemoteCallbackBlocked");
    }

    [Fact]
    public async Task With_exempt_paths_set_the_warning_names_the_next_free_entry()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:ExemptPaths:0"] = "/health";
            s.Services = AddSchemes;
        });

        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "RemoteCallbackBlocked");
        Assert.EndsWith("(MaintenanceMode:ExemptPaths:1=/signin-idp).", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>A remote scheme (as OpenID Connect or OAuth are) and a local one, which has no callback.</summary>
    private static void AddSchemes(IServiceCollection services) =>
        services.AddAuthentication("local")
            .AddScheme<AuthenticationSchemeOptions, LocalHandler>("local", null)
            .AddRemoteScheme<RemoteOptions, RemoteHandler>("idp", "Identity provider", o =>
            {
                o.CallbackPath = "/signin-idp";
                o.SignInScheme = "local";
            });

    private sealed class RemoteOptions : RemoteAuthenticationOptions;

    private sealed class RemoteHandler(IOptionsMonitor<RemoteOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : RemoteAuthenticationHandler<RemoteOptions>(options, logger, encoder)
    {
        protected override Task<HandleRequestResult> HandleRemoteAuthenticateAsync() => Task.FromResult(HandleRequestResult.NoResult());
    }

    private sealed class LocalHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
