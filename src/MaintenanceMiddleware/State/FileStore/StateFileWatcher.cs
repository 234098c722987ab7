using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Reports possible changes of the state file: a <see cref="FileSystemWatcher"/> on its folder and, because watchers
/// miss events on network file systems and in some containers, a comparison of its fingerprint every poll interval.
/// While <c>failing</c> says the last read failed, every poll reports a change, so the reader retries.
/// </summary>
internal sealed class StateFileWatcher(FileStorePaths paths, TimeSpan pollInterval, TimeProvider time, bool useFileSystemWatcher, Func<bool> failing, ILogger logger)
{
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
            try
            {
                Directory.CreateDirectory(paths.Directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Polling notices the file once someone else creates the folder.
            }

            watcher = TryCreateWatcher(Signal, ref watcherFailureLogged);
            var last = FileFingerprint.Of(paths.StatePath);
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
                var now = FileFingerprint.Of(paths.StatePath);
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
        if (!useFileSystemWatcher || !Directory.Exists(paths.Directory))
        {
            return null;
        }

        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(paths.Directory, paths.FileName)
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
                MaintenanceLog.FileWatcherError(logger, paths.Directory, e.GetException());
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
                MaintenanceLog.FileWatcherUnavailable(logger, paths.Directory, pollInterval, ex);
            }

            return null;
        }
    }
}
