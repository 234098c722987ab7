using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Replaces a file atomically in two steps, used by the state file and the instance files: <see cref="WriteTempAsync"/>
/// (a new temporary file <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c> in the same folder, with the permissions of the file it
/// replaces, flushed to disk) and <see cref="CommitAsync"/> (renamed over the target: one step on one file system).
/// Readers see the old file or the new one, never half of one; a write that is given up (<see cref="Discard"/>) never
/// touches the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Whether <paramref name="fileName"/> is the name of a temporary file <see cref="WriteTempAsync"/> makes.</summary>
    public static bool IsTemp(string fileName) => fileName.StartsWith('.') && fileName.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>
    /// Writes <paramref name="bytes"/> to a new temporary file in <paramref name="directory"/>, named after
    /// <paramref name="fileName"/>, with the mode of the first of <paramref name="modeFrom"/> that exists, flushed to
    /// disk; returns its path for <see cref="CommitAsync"/> or <see cref="Discard"/>.
    /// </summary>
    public static async Task<string> WriteTempAsync(string directory, string fileName, ReadOnlyMemory<byte> bytes, ILogger logger, params string[] modeFrom)
    {
        var temp = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                KeepMode(stream, modeFrom);
                await stream.WriteAsync(bytes).ConfigureAwait(false);

                // Flushed before the rename, so a crash after it cannot leave an empty file behind.
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            Discard(temp, logger);
            throw;
        }

        return temp;
    }

    /// <summary>Renames <paramref name="temp"/> over <paramref name="path"/> (same folder, so one atomic step); deletes it when that fails.</summary>
    public static async Task CommitAsync(string temp, string path, TimeProvider time, ILogger logger)
    {
        try
        {
            await RetryOnSharingViolationAsync(
                () =>
                {
                    File.Move(temp, path, overwrite: true);
                    return Task.FromResult(true);
                },
                time,
                CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            Discard(temp, logger);
            throw;
        }
    }

    /// <summary>Deletes a temporary file that will not be committed; a failure is logged, not thrown.</summary>
    public static void Discard(string temp, ILogger logger)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaintenanceLog.TempFileNotDeleted(logger, temp, ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/>, retrying briefly on a sharing violation: on Windows a reader that has the file
    /// open blocks a replace for a moment (and a replace blocks a reader); on Unix this never retries.
    /// </summary>
    public static async Task<T> RetryOnSharingViolationAsync<T>(Func<Task<T>> action, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (IOException ex) when (attempt < 5 && ex is not FileNotFoundException and not DirectoryNotFoundException && OperatingSystem.IsWindows())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A rename gives the target the temporary file's mode: give that the mode the target has (0640 stays 0640). The
    // owner cannot be carried over without chown; the file belongs to the user who last wrote it.
    private static void KeepMode(FileStream stream, string[] modeFrom)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var path in modeFrom)
        {
            try
            {
                File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(path));
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not there (yet): try the next, else the default mode (umask) applies.
            }
        }
    }
}
