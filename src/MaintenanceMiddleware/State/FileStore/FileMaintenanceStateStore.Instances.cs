namespace MaintenanceMiddleware;

/// <summary>The file store's instance registry: one JSON file per instance in <see cref="InstancesPath"/> (see <see cref="InstanceFiles"/>).</summary>
public sealed partial class FileMaintenanceStateStore : IMaintenanceInstanceRegistry
{
    /// <summary>
    /// The full path of the folder of instance reports beside the state file (<c>state.instances</c> for
    /// <c>state.json</c>): one small JSON file per running instance, named after its id.
    /// </summary>
    public string InstancesPath => _paths.InstancesDirectory;

    /// <inheritdoc />
    /// <remarks>
    /// Replaces the instance's file atomically (a temporary file in the same folder, renamed over it), creating the
    /// folder (and the state file's folder) when missing, as a change does. <see cref="MaintenanceInstanceReport.LastHeartbeat"/>
    /// is this store's <see cref="TimeProvider"/>: every writer is on one machine.
    /// </remarks>
    /// <exception cref="MaintenanceStoreException">The folder cannot be created (a file in its way is named) or the file cannot be written.</exception>
    public Task ReportAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken = default) =>
        _instanceFiles.WriteAsync(report, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Deletes the instance's file only when it holds a report of <paramref name="sessionId"/>; a missing folder or file is not an error.</remarks>
    public Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken = default) =>
        _instanceFiles.RemoveAsync(instanceId, sessionId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Reads every file of the folder, never creating it: a missing folder means no instance. An entry that is not a
    /// report is listed in <see cref="MaintenanceInstanceList.Unreadable"/> as <c>state.instances/&lt;file&gt;: &lt;why&gt;</c>
    /// (<c>empty</c>, <c>not JSON (...)</c>, <c>not an instance report (...)</c>, <c>a directory</c>,
    /// <c>not a regular file (a FIFO, socket or device)</c>, <c>unreadable (...)</c>) and otherwise ignored; files are
    /// opened without blocking, so a FIFO cannot stall a switch.
    /// </para>
    /// <para>
    /// The file of an instance whose last report is more than ten heartbeat intervals old (or a day, whichever is
    /// shorter) is deleted by the read and left off the list: the instance crashed or was killed without deregistering
    /// long ago. Instances gone for less than that are listed (not live), so a wait can name them.
    /// </para>
    /// </remarks>
    /// <exception cref="MaintenanceStoreException">The folder exists but cannot be listed, or a folder above it is a file.</exception>
    public Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default) =>
        _instanceFiles.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Watches the folder with a <see cref="FileSystemWatcher"/> and compares its entries every
    /// <see cref="FileStoreOptions.PollInterval"/>, as <see cref="WatchAsync"/> does for the state file. It never
    /// creates the folder: while it is missing only the poll runs. Calls <paramref name="onChanged"/> once at the start.
    /// </remarks>
    public Task WatchInstancesAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) =>
        FileStoreWatcher.ForInstances(_paths, _pollInterval, _time, UseFileSystemWatcher, _logger).WatchAsync(onChanged, cancellationToken);
}
