using MaintenanceMiddleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.State;

public sealed class FileStoreConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private FileMaintenanceStateStore ResolveStore(Dictionary<string, string?> settings, bool callUseFileStore)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddInMemoryCollection(settings);
        var maintenance = builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode"));
        if (callUseFileStore)
        {
            maintenance.UseFileStore();
        }

        using var host = builder.Build();
        return Assert.IsType<FileMaintenanceStateStore>(host.Services.GetRequiredService<IMaintenanceStateStore>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void File_store_is_the_default_at_the_per_machine_path_outside_the_content_root(bool callUseFileStore)
    {
        var store = ResolveStore([], callUseFileStore);

        // MAINTENANCE_STATE_DIR points at this test process's stand-in for the machine folder (tests/Shared/TestStateDirectory.cs).
        Assert.Equal(Path.Combine(MaintenanceMiddleware.Testing.TestStateDirectory.Path, "state.json"), store.StatePath);
        Assert.False(store.StatePath.StartsWith(_dir.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Path_and_poll_interval_bind_from_MaintenanceMode_FileStore()
    {
        var absolute = _dir.Combine("elsewhere", "shop.json");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:FileStore:Path"] = absolute,
            ["MaintenanceMode:FileStore:PollInterval"] = "00:00:00.500",
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UseFileStore();
        using var host = builder.Build();

        var store = Assert.IsType<FileMaintenanceStateStore>(host.Services.GetRequiredService<IMaintenanceStateStore>());
        Assert.Equal(absolute, store.StatePath);
        Assert.Equal(TimeSpan.FromMilliseconds(500), host.Services.GetRequiredService<IOptions<FileStoreOptions>>().Value.PollInterval);
    }

    [Fact]
    public void Relative_configured_path_resolves_against_the_content_root()
    {
        var store = ResolveStore(new() { ["MaintenanceMode:FileStore:Path"] = "data/m.json" }, callUseFileStore: true);

        Assert.Equal(Path.Combine(_dir.Path, "data", "m.json"), store.StatePath);
        Assert.Equal(Path.Combine(_dir.Path, "data", "m.audit.jsonl"), store.AuditPath);
    }

    [Theory]
    [InlineData("Path", "", "MaintenanceMode:FileStore:Path is empty")]
    [InlineData("Path", "data/", "MaintenanceMode:FileStore:Path 'data/' names a folder")]
    [InlineData("PollInterval", "00:00:00", "MaintenanceMode:FileStore:PollInterval must be positive")]
    [InlineData("PollInterval", "3.00:00:00", "MaintenanceMode:FileStore:PollInterval must be positive and at most 1.00:00:00")]
    [InlineData("LockTimeout", "-00:00:01", "MaintenanceMode:FileStore:LockTimeout must be positive")]
    public async Task Invalid_file_store_options_stop_start_up_with_a_message_naming_the_key(string key, string value, string message)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"MaintenanceMode:FileStore:{key}"] = value });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UseFileStore();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_name_the_section_the_options_were_bound_from()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Shop:Maintenance:FileStore:PollInterval"] = "00:00:00" });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("Shop:Maintenance"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Shop:Maintenance:FileStore:PollInterval must be positive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_set_in_code_are_validated_at_start_up_too()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Services.AddMaintenanceMode().UseFileStore(o => o.LockTimeout = TimeSpan.Zero);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaintenanceMode:FileStore:LockTimeout must be positive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_built_outside_a_host_refuses_invalid_options_with_every_key_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FileMaintenanceStateStore(new FileStoreOptions { Path = " ", PollInterval = TimeSpan.Zero }));

        Assert.Contains("MaintenanceMode:FileStore:Path is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaintenanceMode:FileStore:PollInterval must be positive", ex.Message, StringComparison.Ordinal);
    }
}
