using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Whether the state file existed, and what it held: the rule that keeps a vanished state file from reading as
/// "no maintenance". The file existed when this process read or wrote it, or when the audit file beside it has
/// entries (it is only ever appended, and every change appends one). Only a store with neither may read a missing
/// file as "no state".
/// </summary>
internal sealed class StateFileHistory(FileStorePaths paths, StateFile stateFile, AuditLogFile auditFile, TimeSpan lockTimeout, TimeProvider time, ILogger logger)
{
    public bool HadFile => stateFile.Seen || auditFile.HasEntries();

    /// <summary>
    /// Reads the state file again while holding the lock; <see langword="null"/> when it is still missing. The first
    /// change appends its audit entry just before the state file appears, and under the lock no change is half-done.
    /// </summary>
    public async Task<StateFileDocument?> ReadUnderLockAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(paths.Directory))
        {
            return null; // Without the folder no change can be in progress.
        }

        CrossProcessFileLock fileLock;
        try
        {
            fileLock = await CrossProcessFileLock.AcquireAsync(paths.LockPath, lockTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (MaintenanceStoreException)
        {
            return null; // Reported as vanished; the next poll tries again.
        }

        using (fileLock)
        {
            return await stateFile.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The error a read of a vanished state file fails with; it lets a change write the file anew.</summary>
    public MaintenanceStoreException Vanished()
    {
        var evidence = stateFile.Seen ? "this process read it before" : $"the audit trail '{paths.AuditPath}' records changes";
        return new MaintenanceStoreException(
            $"The maintenance state file '{paths.StatePath}' is missing, but it existed ({evidence}): it is not read as 'no maintenance', and the last known state is kept. Restore the file, or switch again (enable or disable) to write it anew from the last audited state.")
        {
            // Read only when someone writes anew: a follower retrying every poll never parses the whole trail.
            RecoverableStates = auditFile.ReadLastStatesAsync,
        };
    }

    /// <summary>The document a change to a vanished state file starts from: the last audited state of every application.</summary>
    public async Task<StateFileDocument> RebuildAsync(CancellationToken cancellationToken)
    {
        var document = new StateFileDocument();
        foreach (var last in await auditFile.ReadLastStatesAsync(cancellationToken).ConfigureAwait(false))
        {
            document.Applications[last.Application] = last;
        }

        MaintenanceLog.StateFileRecreated(logger, paths.StatePath, document.Applications.Count);
        return document;
    }
}
