using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>
/// A sample, unchanged (its Program.cs, appsettings.json, content root and maintenance page), served by Kestrel on a
/// free 127.0.0.1 port so a real browser can load it. Its state file lives in a temporary folder.
/// </summary>
/// <typeparam name="TEntryPoint">The sample's <c>Program</c>.</typeparam>
public sealed class SampleServer<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("mm-browser-").FullName;

    /// <summary>Prepares the sample with <paramref name="settings"/> (configuration keys, as environment variables would set them).</summary>
    public SampleServer(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts Kestrel and returns this server, its <see cref="BaseAddress"/> known.</summary>
    public SampleServer<TEntryPoint> Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
        Assert.Equal("127.0.0.1", BaseAddress.Host);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("MaintenanceMode:FileStore:Path", Path.Combine(_stateDirectory, "state.json"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_stateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a stopping watcher; the temp folder is cleaned by the OS.
            }
        }
    }
}
