using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Reports possible changes of the state file (<see cref="ForStateFile"/>) or of the instance files
/// (<see cref="ForInstances"/>): a <see cref="FileSystemWatcher"/> on the folder and, because watchers miss events on
/// network file systems and in some containers, a comparison of a fingerprint every poll interval. While
/// <c>failing</c> says the last read failed, every poll reports a change, so the reader retries.
/// </summary>
internal sealed class FileStoreWatcher(
    string directory,
    string filter,
    Func<FileFingerprint> fingerprint,
    bool createDirectory,
    TimeSpan pollInterval,
    TimeProvider time,
    bool useFileSystemWatcher,
    Func<bool> failing,
    ILogger logger)
{
    /// <summary>Watches the state file; creates its folder (a host's store does that anyway) so the watcher can start at once.</summary>
    public static FileStoreWatcher ForStateFile(FileStorePaths paths, TimeSpan pollInterval, TimeProvider time, bool useFileSystemWatcher, Func<bool> failing, ILogger logger) =>
        new(paths.Directory, paths.FileName, () => FileFingerprint.Of(paths.StatePath), createDirectory: true, pollInterval, time, useFileSystemWatcher, failing, logger);

    /// <summary>
    /// Watches the folder of instance files, never creating it (the CLI waits with it): while the folder is missing
    /// only the poll runs, and the file watcher starts once the folder appears.
    /// </summary>
    public static FileStoreWatcher ForInstances(FileStorePaths paths, TimeSpan pollInterval, TimeProvider time, bool useFileSystemWatcher, ILogger logger) =>
        new(paths.InstancesDirectory, "*.json", () => FileFingerprint.OfFolder(paths.InstancesDirectory), createDirectory: false, pollInterval, time, useFileSystemWatcher, static () => false, logger);

    /// <summary>Runs until cancelled; calls <paramref name="onChanged"/> once at the start and after every possible change.</summary>
    public async Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);

        // Watcher events and poll ticks both wake one loop; a capacity of one coalesces bursts of events.
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        var watcherFired = 0;
        var watcherFailureLogged = false;
        FileSystemWatcher? watcher = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = new PeriodicTimer(pollInterval, time);
        var ticks = TickAsync(timer, wake.Writer, stop.Token);

        void Signal()
        {
            Volatile.Write(ref watcherFired, 1);
            wake.Writer.TryWrite(true);
        }

        try
        {
            if (createDirectory)
            {
                try
                {
                    Directory.CreateDirectory(directory);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Polling notices the file once someone else creates the folder.
                }
            }

            watcher = TryCreateWatcher(Signal, ref watcherFailureLogged);
            var last = fingerprint();
            await onChanged(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                try
                {
                    await wake.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                watcher ??= TryCreateWatcher(Signal, ref watcherFailureLogged);
                var signalled = Interlocked.Exchange(ref watcherFired, 0) == 1;
                var now = fingerprint();
                if (signalled || now != last || failing())
                {
                    last = now;
                    await onChanged(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            watcher?.Dispose();
            await stop.CancelAsync().ConfigureAwait(false);
            await ticks.ConfigureAwait(false);
        }
    }

    private static async Task TickAsync(PeriodicTimer timer, ChannelWriter<bool> wake, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                wake.TryWrite(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Watching has stopped.
        }
    }

    private FileSystemWatcher? TryCreateWatcher(Action signal, ref bool failureLogged)
    {
        if (!useFileSystemWatcher || !Directory.Exists(directory))
        {
            return null;
        }

        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(directory, filter)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, _) => signal();
            watcher.Created += (_, _) => signal();
            watcher.Deleted += (_, _) => signal();
            watcher.Renamed += (_, _) => signal();
            watcher.Error += (_, e) =>
            {
                MaintenanceLog.FileWatcherError(logger, directory, e.GetException());
                signal();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // For example the inotify instance limit: polling alone still sees every change within the interval.
            watcher?.Dispose();
            if (!failureLogged)
            {
                failureLogged = true;
                MaintenanceLog.FileWatcherUnavailable(logger, directory, pollInterval, ex);
            }

            return null;
        }
    }
}
