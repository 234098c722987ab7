using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>The file store's per-machine default location: outside the content root, and a clear start-up error when unusable.</summary>
public sealed class FileStoreDefaultLocationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Default_path_is_state_json_in_MAINTENANCE_STATE_DIR()
    {
        Assert.Equal(Path.Combine(MaintenanceMiddleware.Testing.TestStateDirectory.Path, "state.json"), FileStoreOptions.DefaultPath);
        Assert.Equal(FileStoreOptions.DefaultPath, new FileStoreOptions().Path);
        Assert.True(Path.IsPathRooted(FileStoreOptions.DefaultPath));
    }

    [Fact]
    public void A_configured_path_replaces_the_default()
    {
        var options = new FileStoreOptions { Path = "App_Data/state.json" };

        Assert.Equal("App_Data/state.json", options.Path);
        Assert.False(options.UsesDefaultPath);
        Assert.True(new FileStoreOptions().UsesDefaultPath);
    }

    [Fact]
    public async Task The_default_folder_is_created_at_start_up_and_holds_the_state()
    {
        var machine = _dir.Combine("machine", "maintenance-middleware");
        using var host = Build(machine);
        await host.StartAsync();

        await host.Services.GetRequiredService<IMaintenanceModeService>().EnableAsync("Storefront");

        Assert.True(File.Exists(Path.Combine(machine, "state.json")));
        Assert.False(Directory.Exists(_dir.Combine("content", "App_Data")));
        await host.StopAsync();
    }

    [Fact]
    public void A_default_folder_that_cannot_be_created_stops_start_up_naming_the_folder_and_the_ways_out()
    {
        File.WriteAllText(_dir.Combine("blocker"), "a file where the folder should be");
        var machine = _dir.Combine("blocker", "maintenance-middleware");
        using var host = Build(machine);

        var error = Assert.Throws<MaintenanceStoreException>(() => host.Services.GetRequiredService<IMaintenanceStateStore>());

        Assert.Equal(
            $"The file store's default folder '{machine}' cannot be created or written: '{_dir.Combine("blocker")}' is a file, not a folder. " +
            "Set MaintenanceMode:FileStore:Path (environment MaintenanceMode__FileStore__Path) to a writable state file, " +
            "or MAINTENANCE_STATE_DIR to a writable folder, or use the PostgreSQL or Redis store.",
            error.Message);
    }

    private IHost Build(string machineFolder)
    {
        Directory.CreateDirectory(_dir.Combine("content"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Combine("content") });
        builder.Services.AddMaintenanceMode(o => o.Application = "Storefront").UseFileStore(o => o.MachineFolder = machineFolder);
        return builder.Build();
    }
}
