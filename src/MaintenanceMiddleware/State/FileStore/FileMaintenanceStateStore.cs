using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// The embedded default store: one JSON state file written atomically, a JSON-lines audit file beside it,
/// a cross-process lock, and a file watcher with a polling fallback. Processes on one machine can share the file;
/// instances on several machines need a shared database store instead.
/// </summary>
/// <remarks>
/// <para>
/// Files, for a state file <c>state.json</c>: <c>state.json</c> (the state of every application),
/// <c>state.audit.jsonl</c> (one audit entry per line, only ever appended) and <c>state.json.lock</c>
/// (held with <see cref="FileShare.None"/> while a change is written; the operating system releases it
/// when the holder exits), and the folder <c>state.instances/</c> of running instances' reports (one file each; see
/// <see cref="GetInstancesAsync"/>).
/// </para>
/// <para>
/// A change takes the lock, re-reads the file, checks the expected version, writes the new document to a temporary
/// file in the same folder (with the state file's mode, flushed to disk), appends the audit line, and only then renames
/// the temporary file over the state file. A reader therefore sees the old file or the new one, never half of one,
/// never a state without its audit entry, and never a change that was given up: when the audit append fails the
/// temporary file is deleted and the state file was never touched. A corrupt state file is reported as
/// <see cref="MaintenanceStoreException"/> and never overwritten, so an operator can inspect it.
/// </para>
/// <para>
/// A state file that existed and vanished (deleted, replaced by a directory, removed by an editor between writes,
/// wiped by a deploy) is not read as "no maintenance": <see cref="GetStatesAsync"/> fails, naming the file, so a
/// running app keeps its last known state and reports the store as failing, until the file is back or a change is
/// written (which recreates the file from the last audited state of every application plus the change). The store
/// knows the file existed when this instance has read or written it, or when the audit file beside it has entries
/// (it is only ever appended, and every change appends one). Only a store with neither starts with no state.
/// </para>
/// </remarks>
public sealed partial class FileMaintenanceStateStore : IMaintenanceStateStore
{
    private readonly ILogger _logger;
    private readonly FileStorePaths _paths;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _lockTimeout;
    private readonly TimeProvider _time;
    private readonly StateFile _stateFile;
    private readonly AuditLogFile _auditFile;
    private readonly StateFileHistory _history;
    private readonly InstanceFiles _instanceFiles;
    private volatile bool _lastReadFailed;

    /// <summary>
    /// Creates the store for a host: a relative <see cref="FileStoreOptions.Path"/> is resolved against the content root.
    /// The options are validated where they are bound (<c>ValidateOnStart</c>), so a bad value stops start-up with a
    /// message that names its configuration key.
    /// </summary>
    /// <param name="options">The file store options.</param>
    /// <param name="environment">The host, whose content root anchors a relative path; the current directory when <see langword="null"/>.</param>
    /// <param name="logger">Where warnings (watcher unavailable, corrupt audit lines) go.</param>
    /// <param name="timeProvider">The clock of the poll and the lock timeout; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    [ActivatorUtilitiesConstructor]
    public FileMaintenanceStateStore(
        IOptions<FileStoreOptions> options,
        IHostEnvironment? environment = null,
        ILogger<FileMaintenanceStateStore>? logger = null,
        TimeProvider? timeProvider = null)
        : this(ValueOf(options), environment?.ContentRootPath, logger, timeProvider)
    {
    }

    /// <summary>
    /// Creates the store outside a host (the <c>maintenance</c> CLI, tools, tests): a relative
    /// <see cref="FileStoreOptions.Path"/> is resolved against the current directory.
    /// </summary>
    /// <param name="options">The file store options.</param>
    /// <param name="logger">Where warnings go; nowhere when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the poll and the lock timeout; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names its key (<c>MaintenanceMode:FileStore:Path</c>, ...).</exception>
    public FileMaintenanceStateStore(FileStoreOptions options, ILogger<FileMaintenanceStateStore>? logger = null, TimeProvider? timeProvider = null)
        : this(Checked(options), null, logger, timeProvider)
    {
    }

    private FileMaintenanceStateStore(FileStoreOptions options, string? root, ILogger? logger, TimeProvider? timeProvider)
    {
        _paths = FileStorePaths.Resolve(options.Path, root);
        _pollInterval = options.PollInterval;
        _lockTimeout = options.LockTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _stateFile = new StateFile(_paths, _time, _logger);
        _auditFile = new AuditLogFile(_paths.AuditPath, _logger);
        _history = new StateFileHistory(_paths, _stateFile, _auditFile, _lockTimeout, _time, _logger);
        _instanceFiles = new InstanceFiles(_paths, _time, _logger);
    }

    /// <summary>The full path of the state file.</summary>
    public string StatePath => _paths.StatePath;

    /// <summary>The full path of the audit file (JSON lines, appended only).</summary>
    public string AuditPath => _paths.AuditPath;

    /// <summary>The full path of the lock file held while a change is written.</summary>
    public string LockPath => _paths.LockPath;

    /// <summary>Whether <see cref="WatchAsync"/> uses a file watcher beside polling (tests switch it off to prove the poll alone suffices).</summary>
    internal bool UseFileSystemWatcher { get; init; } = true;

    /// <inheritdoc />
    /// <remarks>
    /// A missing file (or folder) means no application has state yet, and the list is empty, only while the store
    /// never had a file (see the remarks of <see cref="FileMaintenanceStateStore"/>); a file that vanished is an error.
    /// </remarks>
    /// <exception cref="MaintenanceStoreException">
    /// The file cannot be read (a directory in its place, a path through a regular file, permissions), is corrupt or
    /// half-written, has an unknown format version, or vanished after it existed.
    /// </exception>
    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var states = await ReadStatesAsync(cancellationToken).ConfigureAwait(false);
            _lastReadFailed = false;
            return states;
        }
        catch (MaintenanceStoreException)
        {
            // WatchAsync then reports a change on every poll, so a follower retries until the file is readable again.
            _lastReadFailed = true;
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the state file vanished after it existed, the change is based on the last audited state of every
    /// application and writing it recreates the file (logged as <c>StateFileRecreated</c>).
    /// </remarks>
    /// <exception cref="MaintenanceStoreException">
    /// The lock was not free within <see cref="FileStoreOptions.LockTimeout"/>, the state file is corrupt (it is left
    /// untouched for inspection) or cannot be read, or a file could not be written. Nothing was written.
    /// </exception>
    public async Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(auditEntry);
        _paths.EnsureDirectory();

        using var fileLock = await CrossProcessFileLock.AcquireAsync(LockPath, _lockTimeout, _time, cancellationToken).ConfigureAwait(false);

        var document = await ReadForChangeAsync(cancellationToken).ConfigureAwait(false);
        var actual = document.Applications.TryGetValue(state.Application, out var current) ? current.Version : 0;
        if (actual != expectedVersion)
        {
            throw new MaintenanceConflictException(state.Application, expectedVersion, actual);
        }

        document.Applications[state.Application] = state;

        // From here on the change is committed step by step; cancelling half-way would lose the audit entry.
        string temp;
        try
        {
            temp = await _stateFile.WriteTempAsync(document).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not write the maintenance state file '{StatePath}': {ex.Message} Nothing was written.", ex);
        }

        long auditLength;
        try
        {
            auditLength = await _auditFile.AppendAsync(auditEntry).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _stateFile.Discard(temp);
            MaintenanceLog.AuditAppendFailed(_logger, AuditPath, ex);
            throw new MaintenanceStoreException($"Could not append to the maintenance audit file '{AuditPath}': {ex.Message} Nothing was written: the state file was not changed.", ex);
        }

        try
        {
            await _stateFile.CommitAsync(temp).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WithdrawAudit(auditLength);
            throw new MaintenanceStoreException($"Could not replace the maintenance state file '{StatePath}': {ex.Message} Nothing was written: its audit entry was taken back.", ex);
        }

        MaintenanceLog.FileStateSaved(_logger, state.Application, StatePath, state.Version);
    }

    /// <inheritdoc />
    /// <remarks>A line that is not a valid entry is skipped with a logged warning; a last line still being written is ignored.</remarks>
    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
        _auditFile.ReadNewestFirstAsync(application, limit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Watches the folder with a <see cref="FileSystemWatcher"/> and, because watchers miss events on network file
    /// systems and in some containers, also compares the file's last write time and length every
    /// <see cref="FileStoreOptions.PollInterval"/>: the store's only poll. Calls <paramref name="onChanged"/> once at
    /// the start, to catch a change made between the caller's load and the start of watching, and on every poll while
    /// the last <see cref="GetStatesAsync"/> failed, so a follower retries until the file can be read again.
    /// </remarks>
    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) =>
        FileStoreWatcher.ForStateFile(_paths, _pollInterval, _time, UseFileSystemWatcher, () => _lastReadFailed, _logger).WatchAsync(onChanged, cancellationToken);

    private async Task<IReadOnlyList<MaintenanceState>> ReadStatesAsync(CancellationToken cancellationToken)
    {
        var document = await _stateFile.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (document is not null)
        {
            return [.. document.Applications.Values];
        }

        if (!_history.HadFile)
        {
            return [];
        }

        if (await _history.ReadUnderLockAsync(cancellationToken).ConfigureAwait(false) is { } written)
        {
            return [.. written.Applications.Values];
        }

        throw _history.Vanished();
    }

    private async Task<StateFileDocument> ReadForChangeAsync(CancellationToken cancellationToken)
    {
        StateFileDocument? document;
        try
        {
            document = await _stateFile.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MaintenanceStoreException ex) when (ex.InnerException is JsonException or InvalidDataException)
        {
            MaintenanceLog.RefusingToOverwriteCorruptFile(_logger, StatePath);
            throw new MaintenanceStoreException(
                $"{ex.Message} Nothing was written: the file is kept as it is for inspection. Repair it, or delete it (a change then writes it anew from the last audited state of every application), then retry.",
                ex.InnerException);
        }

        if (document is not null)
        {
            return document;
        }

        // Missing: never written (start empty), or vanished after it existed (start from the last audited state).
        return _history.HadFile ? await _history.RebuildAsync(cancellationToken).ConfigureAwait(false) : new StateFileDocument();
    }

    private void WithdrawAudit(long length)
    {
        try
        {
            _auditFile.Withdraw(length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaintenanceLog.AuditRollbackFailed(_logger, AuditPath, ex);
        }
    }

    // Outside a host no options pipeline validates: ask the same validator, so the CLI gets the same messages.
    private static FileStoreOptions Checked(FileStoreOptions options)
    {
        FileStoreOptionsValidator.ThrowIfInvalid(options);
        return options;
    }

    // In a host the per-machine default folder must be usable before the app serves a request: a release must never
    // start with maintenance silently off because the state cannot be read or written.
    private static FileStoreOptions ValueOf(IOptions<FileStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (value.UsesDefaultPath)
        {
            var folder = System.IO.Path.GetDirectoryName(value.Path)!;
            if (FileStoreLocation.Problem(folder) is { } problem)
            {
                throw new MaintenanceStoreException(
                    $"The file store's default folder '{folder}' cannot be created or written: {problem} Set " +
                    $"{FileStoreOptionsValidator.DefaultSectionPath}:Path (environment {FileStoreLocation.PathVariable}) to a writable state file, " +
                    $"or {FileStoreLocation.DirectoryVariable} to a writable folder, or use the PostgreSQL or Redis store.");
            }
        }

        return value;
    }
}
