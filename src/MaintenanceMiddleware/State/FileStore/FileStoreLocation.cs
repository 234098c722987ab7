namespace MaintenanceMiddleware;

/// <summary>
/// The file store's default state file: one per machine, outside every content root, so a deploy that replaces the
/// application's folder keeps the state, and the applications and the <c>maintenance</c> CLI on one machine share it.
/// The rule, first match wins:
/// <list type="number">
/// <item>the environment variable <c>MAINTENANCE_STATE_DIR</c> (a folder): <c>$MAINTENANCE_STATE_DIR/state.json</c>;</item>
/// <item>Windows: <c>%ProgramData%\MaintenanceMiddleware\state.json</c>;</item>
/// <item>macOS: <c>~/Library/Application Support/MaintenanceMiddleware/state.json</c>;</item>
/// <item>Linux and others: <c>/var/lib/maintenance-middleware/state.json</c> when that folder exists and is writable
/// (or can be created), else <c>$XDG_STATE_HOME/maintenance-middleware/state.json</c>, else
/// <c>~/.local/state/maintenance-middleware/state.json</c>.</item>
/// </list>
/// <c>MaintenanceMode:FileStore:Path</c> (environment <c>MaintenanceMode__FileStore__Path</c>, which the CLI reads too)
/// replaces the whole rule.
/// </summary>
internal static class FileStoreLocation
{
    /// <summary>The environment variable that moves the default folder (read by the applications and the CLI).</summary>
    public const string DirectoryVariable = "MAINTENANCE_STATE_DIR";

    /// <summary>The environment variable of <c>MaintenanceMode:FileStore:Path</c>, which the CLI reads as its default <c>--file</c>.</summary>
    public const string PathVariable = "MaintenanceMode__FileStore__Path";

    /// <summary>The state file's name in the default folder.</summary>
    public const string FileName = "state.json";

    /// <summary>The machine-wide folder on Linux, used when it is writable.</summary>
    public const string LinuxMachineFolder = "/var/lib/maintenance-middleware";

    /// <summary>The default state file path (absolute), by the rule above.</summary>
    /// <param name="folder">The folder instead of the rule (a test seam), or <see langword="null"/>.</param>
    public static string DefaultStatePath(string? folder = null) => Path.Combine(folder ?? DefaultFolder(), FileName);

    /// <summary>The state file the CLI uses when no target is given: <c>MaintenanceMode__FileStore__Path</c> when set, else the default.</summary>
    public static string CliStatePath() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : DefaultStatePath();

    private static string DefaultFolder()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } folder)
        {
            return Path.GetFullPath(folder);
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "MaintenanceMiddleware");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Application Support", "MaintenanceMiddleware");
        }

        if (IsWritable(LinuxMachineFolder))
        {
            return LinuxMachineFolder;
        }

        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return Path.Combine(
            stateHome is { Length: > 0 } && Path.IsPathRooted(stateHome) ? stateHome : Path.Combine(home, ".local", "state"),
            "maintenance-middleware");
    }

    /// <summary>Why the default folder <paramref name="folder"/> cannot hold the state file, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string folder)
    {
        try
        {
            Probe(folder);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var file = FileStorePaths.FileInTheWay(Path.Combine(folder, FileName));
            return file is null ? ex.Message : $"'{file}' is a file, not a folder.";
        }
    }

    /// <summary>Whether <paramref name="folder"/> exists (or can be created) and a file can be written in it.</summary>
    private static bool IsWritable(string folder)
    {
        try
        {
            Probe(folder);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Probe(string folder)
    {
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
    }
}
