namespace MaintenanceMiddleware;

/// <summary>What the polling fallback compares to notice a change: existence, last write time and length.</summary>
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
}
