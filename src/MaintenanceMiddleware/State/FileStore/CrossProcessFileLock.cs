namespace MaintenanceMiddleware;

/// <summary>
/// An exclusive lock shared by every process on the machine: a lock file opened with <see cref="FileShare.None"/>
/// (an <c>flock</c> on Unix, a share lock on Windows). The operating system releases it when the holder exits,
/// so a crashed writer never leaves the store locked. The file itself is left in place: deleting it would race.
/// </summary>
internal sealed class CrossProcessFileLock : IDisposable
{
    private readonly FileStream _stream;

    private CrossProcessFileLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, retrying with a short backoff until <paramref name="timeout"/>.</summary>
    /// <exception cref="MaintenanceStoreException">The lock was not free within <paramref name="timeout"/>, or the file cannot be created.</exception>
    public static async Task<CrossProcessFileLock> AcquireAsync(string lockPath, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
                return new CrossProcessFileLock(stream);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                // Held by another writer (this process or another one): wait and retry.
                if (time.GetElapsedTime(started) >= timeout)
                {
                    throw new MaintenanceStoreException(
                        $"Could not lock the maintenance state file within {timeout.TotalSeconds:0.#} s: another process holds '{lockPath}'. Retry, or find the process that keeps it open.",
                        ex);
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or DirectoryNotFoundException or PathTooLongException or NotSupportedException)
            {
                throw new MaintenanceStoreException($"Could not open the maintenance lock file '{lockPath}': {ex.Message}", ex);
            }

            // Jitter keeps several waiting processes from retrying in lock step.
            var jittered = delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 5));
            await Task.Delay(jittered, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
        }
    }

    public void Dispose() => _stream.Dispose();
}
