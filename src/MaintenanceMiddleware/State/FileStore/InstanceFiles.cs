using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// The file store's instance registry on disk: one small JSON file per instance in the folder
/// <c>&lt;name&gt;.instances/</c> beside the state file, named by <see cref="InstanceFileName"/> and replaced
/// atomically (<see cref="AtomicFile"/>) on every report, so a reader sees the old report or the new one.
/// </summary>
/// <remarks>
/// Reading never creates anything: a missing folder means no instance. A report that has not been refreshed for
/// <see cref="PruneAfterIntervals"/> heartbeat intervals (or <see cref="PruneAfter"/>, whichever is shorter) belongs to
/// an instance long gone (crashed, killed) without deregistering: a read deletes its file and leaves it off the list.
/// A temporary file older than a day (a writer crashed between writing and renaming it) is deleted too.
/// </remarks>
internal sealed class InstanceFiles(FileStorePaths paths, TimeProvider time, ILogger logger)
{
    /// <summary>How many heartbeat intervals without a report make an instance's file deletable.</summary>
    public const int PruneAfterIntervals = 10;

    /// <summary>The longest a report without a refresh is kept, whatever its heartbeat interval.</summary>
    public static readonly TimeSpan PruneAfter = TimeSpan.FromDays(1);

    /// <summary>Writes <paramref name="report"/>, stamped with the store's time, over the instance's file.</summary>
    /// <exception cref="MaintenanceStoreException">The folder cannot be created or the file cannot be written.</exception>
    public async Task WriteAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(report.InstanceId, nameof(report));
        cancellationToken.ThrowIfCancellationRequested();

        var bytes = JsonSerializer.SerializeToUtf8Bytes(report with { LastHeartbeat = time.GetUtcNow() }, MaintenanceStoreJson.InstanceReport);
        var fileName = InstanceFileName.Of(report.InstanceId);
        var path = Path.Combine(paths.InstancesDirectory, fileName);
        paths.EnsureInstancesDirectory();
        try
        {
            // The file keeps its own mode; a first report takes the state file's (a shared group stays shared).
            var temp = await AtomicFile.WriteTempAsync(paths.InstancesDirectory, fileName, bytes, logger, path, paths.StatePath).ConfigureAwait(false);
            await AtomicFile.CommitAsync(temp, path, time, logger).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not write the maintenance instance file '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Deletes the file of <paramref name="instanceId"/> when it holds a report of <paramref name="sessionId"/>.</summary>
    /// <exception cref="MaintenanceStoreException">The file could not be deleted.</exception>
    public Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        cancellationToken.ThrowIfCancellationRequested();
        var fileName = InstanceFileName.Of(instanceId);
        var path = Path.Combine(paths.InstancesDirectory, fileName);
        if (InstanceFileReader.Read(path, fileName) is { Report: { } report } entry
            && report.InstanceId == instanceId
            && report.SessionId == sessionId)
        {
            try
            {
                DeleteIfUnchanged(path, entry.Fingerprint);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MaintenanceStoreException($"Could not delete the maintenance instance file '{path}': {ex.Message}", ex);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Reads every report; entries that are not reports are named in <see cref="MaintenanceInstanceList.Unreadable"/>.</summary>
    /// <exception cref="MaintenanceStoreException">The folder exists but cannot be listed, or a folder above it is a file.</exception>
    public Task<MaintenanceInstanceList> ReadAllAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (List() is not { } entries)
        {
            return Task.FromResult(Empty(now, File.Exists(paths.InstancesDirectory) ? [$"{paths.InstancesFolderName}: a file, not a folder"] : []));
        }

        var instances = new List<MaintenanceInstanceReport>(entries.Length);
        var unreadable = new List<string>();
        foreach (var path in entries.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fileName = Path.GetFileName(path);
            if (AtomicFile.IsTemp(fileName))
            {
                DeleteIfAbandoned(path, now);
                continue; // A report being written, or left behind by a writer that crashed.
            }

            if (!fileName.EndsWith(InstanceFileName.Extension, StringComparison.OrdinalIgnoreCase))
            {
                continue; // None of the store's.
            }

            switch (InstanceFileReader.Read(path, fileName))
            {
                case null:
                    break; // Removed meanwhile.
                case { Report: { } report } entry when IsLongGone(report, now):
                    Prune(path, report, entry.Fingerprint, now);
                    break;
                case { Report: { } report }:
                    instances.Add(report);
                    break;
                case { Problem: var problem }:
                    unreadable.Add($"{paths.InstancesFolderName}/{MaintenanceText.Escape(fileName)}: {problem}");
                    break;
            }
        }

        instances.Sort((a, b) => string.CompareOrdinal(a.InstanceId, b.InstanceId));
        return Task.FromResult(new MaintenanceInstanceList { AsOf = now, Instances = instances, Unreadable = unreadable });
    }

    /// <summary>Whether <paramref name="report"/> has not been refreshed for long enough that its file may be deleted.</summary>
    public static bool IsLongGone(MaintenanceInstanceReport report, DateTimeOffset now)
    {
        var age = now - report.LastHeartbeat;
        var interval = report.HeartbeatInterval;
        return age > PruneAfter || (interval > TimeSpan.Zero && interval <= PruneAfter / PruneAfterIntervals && age > interval * PruneAfterIntervals);
    }

    private static MaintenanceInstanceList Empty(DateTimeOffset now, string[] unreadable) => new() { AsOf = now, Instances = [], Unreadable = unreadable };

    // Null when the folder does not exist (or is a file in the way, which ReadAllAsync names).
    private string[]? List()
    {
        var folder = paths.InstancesDirectory;
        try
        {
            return Directory.GetFileSystemEntries(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(folder))
            {
                return null;
            }

            if (FileStorePaths.FileInTheWay(folder) is { } file)
            {
                throw new MaintenanceStoreException($"Could not read the maintenance instance files in '{folder}': '{file}' is a file, not a folder (the system reports: {ex.Message})", ex);
            }

            if (ex is DirectoryNotFoundException || !Directory.Exists(folder))
            {
                return null;
            }

            throw new MaintenanceStoreException($"Could not read the maintenance instance files in '{folder}': {ex.Message}", ex);
        }
    }

    private void Prune(string path, MaintenanceInstanceReport report, FileFingerprint fingerprint, DateTimeOffset now)
    {
        try
        {
            if (DeleteIfUnchanged(path, fingerprint))
            {
                MaintenanceLog.InstanceFilePruned(logger, MaintenanceText.Sanitize(report.InstanceId), path, report.LastHeartbeat, now - report.LastHeartbeat);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only folder (a reader without write access, like an auditor's CLI): it stays off the list all the same.
        }
    }

    // A temporary file lives for milliseconds; one older than a day was left by a writer that crashed mid-write.
    private static void DeleteIfAbandoned(string path, DateTimeOffset now)
    {
        try
        {
            if (now - File.GetLastWriteTimeUtc(path) > PruneAfter)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or a read-only folder: it is skipped all the same.
        }
    }

    // A report written between the read and here (a restarted instance taking its id back) is kept: the fingerprint
    // moved. What is left is a window of microseconds, and the instance's next heartbeat writes the file again.
    private static bool DeleteIfUnchanged(string path, FileFingerprint fingerprint)
    {
        if (FileFingerprint.Of(path) != fingerprint)
        {
            return false;
        }

        File.Delete(path);
        return true;
    }
}
