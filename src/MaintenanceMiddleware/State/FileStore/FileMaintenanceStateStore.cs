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
/// when the holder exits).
/// </para>
/// <para>
/// A change takes the lock, re-reads the file, checks the expected version, writes a temporary file in the same
/// folder, flushes it to disk and renames it over the state file, then appends the audit line. Readers therefore
/// see the old file or the new one, never half of one. A corrupt state file is reported as
/// <see cref="MaintenanceStoreException"/> and never overwritten, so an operator can inspect it.
/// </para>
/// </remarks>
public sealed class FileMaintenanceStateStore : IMaintenanceStateStore
{
    private readonly ILogger _logger;
    private readonly FileStorePaths _paths;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _lockTimeout;
    private readonly TimeProvider _time;
    private readonly StateFile _stateFile;
    private readonly AuditLogFile _auditFile;

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
    /// <remarks>A missing file (or folder) means no application has state yet: the list is empty.</remarks>
    /// <exception cref="MaintenanceStoreException">The file cannot be read, is corrupt or half-written, or has an unknown format version.</exception>
    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        var (document, _) = await _stateFile.ReadAsync(cancellationToken).ConfigureAwait(false);
        return document is null ? [] : [.. document.Applications.Values];
    }

    /// <inheritdoc />
    /// <exception cref="MaintenanceStoreException">
    /// The lock was not free within <see cref="FileStoreOptions.LockTimeout"/>, the state file is corrupt (it is left
    /// untouched for inspection), or a file could not be written. Nothing was written.
    /// </exception>
    public async Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(auditEntry);
        EnsureDirectory();

        using var fileLock = await CrossProcessFileLock.AcquireAsync(LockPath, _lockTimeout, _time, cancellationToken).ConfigureAwait(false);

        (StateFileDocument? document, byte[]? previous) read;
        try
        {
            read = await _stateFile.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MaintenanceStoreException ex) when (ex.InnerException is JsonException or InvalidDataException)
        {
            MaintenanceLog.RefusingToOverwriteCorruptFile(_logger, StatePath);
            throw new MaintenanceStoreException(
                $"{ex.Message} Nothing was written: the file is kept as it is for inspection. Repair it, or delete it (which clears the stored state of every application), then retry.",
                ex.InnerException);
        }

        var document = read.document ?? new StateFileDocument();
        var actual = document.Applications.TryGetValue(state.Application, out var current) ? current.Version : 0;
        if (actual != expectedVersion)
        {
            throw new MaintenanceConflictException(state.Application, expectedVersion, actual);
        }

        document.Applications[state.Application] = state;

        // From here on the change is committed step by step; cancelling half-way would lose the audit entry.
        try
        {
            await _stateFile.WriteAsync(document).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not write the maintenance state file '{StatePath}': {ex.Message} Nothing was written.", ex);
        }

        try
        {
            await _auditFile.AppendAsync(auditEntry).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaintenanceLog.AuditAppendFailed(_logger, AuditPath, ex);
            await _stateFile.RestoreAsync(read.previous).ConfigureAwait(false);
            throw new MaintenanceStoreException($"Could not append to the maintenance audit file '{AuditPath}': {ex.Message} The state change was undone.", ex);
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
    /// <see cref="FileStoreOptions.PollInterval"/>. Calls <paramref name="onChanged"/> once at the start, to catch a
    /// change made between the caller's load and the start of watching.
    /// </remarks>
    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) =>
        new StateFileWatcher(_paths, _pollInterval, _time, UseFileSystemWatcher, _logger).WatchAsync(onChanged, cancellationToken);

    // Outside a host no options pipeline validates: ask the same validator, so the CLI gets the same messages.
    private static FileStoreOptions Checked(FileStoreOptions options)
    {
        FileStoreOptionsValidator.ThrowIfInvalid(options);
        return options;
    }

    private static FileStoreOptions ValueOf(IOptions<FileStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }

    private void EnsureDirectory()
    {
        try
        {
            Directory.CreateDirectory(_paths.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not create the folder '{_paths.Directory}' for the maintenance state file: {ex.Message}", ex);
        }
    }
}
