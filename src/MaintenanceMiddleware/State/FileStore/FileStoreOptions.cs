namespace MaintenanceMiddleware;

/// <summary>Options of the file state store, bound from <c>MaintenanceMode:FileStore</c>.</summary>
public sealed class FileStoreOptions
{
    /// <summary>The configuration section, relative to <c>MaintenanceMode</c>.</summary>
    public const string SectionName = "FileStore";

    private string? _path;

    /// <summary>
    /// The default state file path: one per machine, outside the content root, so a redeploy that replaces the
    /// application's folder keeps the state, and the applications and the <c>maintenance</c> CLI on the machine share it.
    /// <c>$MAINTENANCE_STATE_DIR/state.json</c> when that environment variable is set; else on Windows
    /// <c>%ProgramData%\MaintenanceMiddleware\state.json</c>; on macOS
    /// <c>~/Library/Application Support/MaintenanceMiddleware/state.json</c>; on Linux
    /// <c>/var/lib/maintenance-middleware/state.json</c> when that folder is writable (or can be created), else
    /// <c>$XDG_STATE_HOME/maintenance-middleware/state.json</c> or <c>~/.local/state/maintenance-middleware/state.json</c>.
    /// </summary>
    public static string DefaultPath => FileStoreLocation.DefaultStatePath();

    /// <summary>
    /// The JSON state file (<c>MaintenanceMode:FileStore:Path</c>); relative paths are resolved against the content root.
    /// The audit trail is written beside it as <c>&lt;name&gt;.audit.jsonl</c>. Default <see cref="DefaultPath"/>.
    /// </summary>
    public string Path
    {
        get => _path ?? FileStoreLocation.DefaultStatePath(MachineFolder);
        set => _path = value;
    }

    /// <summary>Whether <see cref="Path"/> was never set, so the per-machine default applies (checked at start-up).</summary>
    internal bool UsesDefaultPath => _path is null;

    /// <summary>The folder of the default path instead of the machine's rule (a test seam); <see langword="null"/> follows the rule.</summary>
    internal string? MachineFolder { get; set; }

    /// <summary>
    /// How often the store compares the state file's last write time and size, for the changes its file watcher
    /// misses (network file systems, containers) (<c>MaintenanceMode:FileStore:PollInterval</c>): the store's only
    /// poll, on the app's <see cref="TimeProvider"/>. Default 1 second, so a write by another process is seen within
    /// 2 s. Positive, at most one day.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a change waits for the lock file (<c>&lt;Path&gt;.lock</c>) while another process writes
    /// (<c>MaintenanceMode:FileStore:LockTimeout</c>). Default 10 seconds; then the change fails with a
    /// <see cref="MaintenanceStoreException"/> and nothing is written. Positive.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
