using MaintenanceMiddleware;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// Hosts a sample in process with its real Program.cs and content root (so its real maintenance page is used),
/// with the state kept in memory instead of the sample's state file (unless asked to keep the sample's own store),
/// and extra configuration on top.
/// </summary>
internal sealed class SampleHost<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private readonly bool _inMemoryStore;

    public SampleHost(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool inMemoryStore = true)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        _inMemoryStore = inMemoryStore;
    }

    public InMemoryMaintenanceStateStore Store { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (_inMemoryStore)
            {
                services.RemoveAll<IMaintenanceStateStore>();
                services.AddSingleton<IMaintenanceStateStore>(Store);
            }
            _services?.Invoke(services);
        });
    }
}
