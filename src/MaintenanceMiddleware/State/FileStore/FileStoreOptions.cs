namespace MaintenanceMiddleware;

/// <summary>Options of the file state store, bound from <c>MaintenanceMode:FileStore</c>.</summary>
public sealed class FileStoreOptions
{
    /// <summary>The configuration section, relative to <c>MaintenanceMode</c>.</summary>
    public const string SectionName = "FileStore";

    /// <summary>The default state file path, relative to the content root.</summary>
    public const string DefaultPath = "App_Data/maintenance/state.json";

    /// <summary>
    /// The JSON state file (<c>MaintenanceMode:FileStore:Path</c>); relative paths are resolved against the content root.
    /// The audit trail is written beside it as <c>&lt;name&gt;.audit.jsonl</c>. Default <c>App_Data/maintenance/state.json</c>.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

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
