namespace MaintenanceMiddleware;

/// <summary>
/// Where the file store keeps its files, resolved once from <see cref="FileStoreOptions.Path"/>: the state file,
/// the audit file beside it (<c>&lt;name&gt;.audit.jsonl</c>), the lock file (<c>&lt;Path&gt;.lock</c>) and the
/// folder of instance reports (<c>&lt;name&gt;.instances/</c>).
/// </summary>
internal sealed class FileStorePaths
{
    private FileStorePaths(string statePath)
    {
        StatePath = statePath;
        Directory = System.IO.Path.GetDirectoryName(statePath) ?? throw new ArgumentException($"The state file path '{statePath}' has no folder.", nameof(statePath));
        FileName = System.IO.Path.GetFileName(statePath);
        AuditPath = System.IO.Path.Combine(Directory, System.IO.Path.GetFileNameWithoutExtension(FileName) + ".audit.jsonl");
        LockPath = statePath + ".lock";
        InstancesFolderName = System.IO.Path.GetFileNameWithoutExtension(FileName) + ".instances";
        InstancesDirectory = System.IO.Path.Combine(Directory, InstancesFolderName);
    }

    /// <summary>The full path of the state file.</summary>
    public string StatePath { get; }

    /// <summary>The folder that holds all three files.</summary>
    public string Directory { get; }

    /// <summary>The state file's name without its folder.</summary>
    public string FileName { get; }

    /// <summary>The full path of the audit file.</summary>
    public string AuditPath { get; }

    /// <summary>The full path of the lock file.</summary>
    public string LockPath { get; }

    /// <summary>The name of the folder of instance reports (<c>state.instances</c> for <c>state.json</c>).</summary>
    public string InstancesFolderName { get; }

    /// <summary>The full path of the folder of instance reports, one file per instance.</summary>
    public string InstancesDirectory { get; }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="root"/> (the content root), or the current directory when that is <see langword="null"/>.</summary>
    public static FileStorePaths Resolve(string path, string? root) =>
        new(root is null ? System.IO.Path.GetFullPath(path) : System.IO.Path.GetFullPath(path, root));

    /// <summary>
    /// The nearest folder of <paramref name="path"/> that is in fact a regular file (so nothing under it can exist),
    /// or <see langword="null"/>. Tells "the folder is missing" apart from "the path runs through a file".
    /// </summary>
    public static string? FileInTheWay(string path)
    {
        for (var folder = System.IO.Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = System.IO.Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                return folder;
            }

            if (System.IO.Directory.Exists(folder))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Creates the folder of the files.</summary>
    /// <exception cref="MaintenanceStoreException">It cannot be created; a file in the way is named.</exception>
    public void EnsureDirectory() => EnsureDirectory(Directory, "the maintenance state file");

    /// <summary>Creates the folder of the instance reports (and the state file's folder, when missing).</summary>
    /// <exception cref="MaintenanceStoreException">It cannot be created; a file in the way is named.</exception>
    public void EnsureInstancesDirectory() => EnsureDirectory(InstancesDirectory, "the maintenance instance files");

    private static void EnsureDirectory(string directory, string what)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var file = File.Exists(directory) ? directory : FileInTheWay(directory);
            var reason = file is null ? ex.Message : $"'{file}' is a file, not a folder (the system reports: {ex.Message})";
            throw new MaintenanceStoreException($"Could not create the folder '{directory}' for {what}: {reason} Nothing was written.", ex);
        }
    }
}
