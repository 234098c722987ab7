namespace MaintenanceMiddleware;

/// <summary>
/// What the polling fallback compares to notice a change: existence, last write time and length of a file
/// (<see cref="Of"/>), or of a folder and its entries (<see cref="OfFolder"/>).
/// </summary>
internal readonly record struct FileFingerprint(bool Exists, DateTime LastWriteTimeUtc, long Length)
{
    public static FileFingerprint Of(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileFingerprint(true, info.LastWriteTimeUtc, info.Length) : default;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    /// <summary>
    /// The folder's last write time (which an added, removed or renamed entry moves) and, as the length, a hash of
    /// every entry's name, last write time and length (which a rewrite in place moves): equal in one process while nothing changed.
    /// </summary>
    public static FileFingerprint OfFolder(string path)
    {
        try
        {
            var folder = new DirectoryInfo(path);
            if (!folder.Exists)
            {
                return default;
            }

            long hash = 0;
            foreach (var entry in folder.EnumerateFileSystemInfos())
            {
                // A sum, so the order of the listing does not matter.
                hash += HashCode.Combine(entry.Name, entry.LastWriteTimeUtc, entry is FileInfo file ? file.Length : -1);
            }

            return new FileFingerprint(true, folder.LastWriteTimeUtc, hash);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }
}
