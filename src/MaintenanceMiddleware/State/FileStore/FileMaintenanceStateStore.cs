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
    private const int FormatVersion = StateFileDocument.CurrentFormatVersion;

    private readonly ILogger _logger;
    private readonly string _directory;
    private readonly string _fileName;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _lockTimeout;

    /// <summary>Creates the store for a host: a relative <see cref="FileStoreOptions.Path"/> is resolved against the content root.</summary>
    /// <param name="options">The file store options.</param>
    /// <param name="environment">The host, whose content root anchors a relative path; the current directory when <see langword="null"/>.</param>
    /// <param name="logger">Where warnings (watcher unavailable, corrupt audit lines) go.</param>
    [ActivatorUtilitiesConstructor]
    public FileMaintenanceStateStore(IOptions<FileStoreOptions> options, IHostEnvironment? environment = null, ILogger<FileMaintenanceStateStore>? logger = null)
        : this(Validate(options?.Value), environment?.ContentRootPath, logger)
    {
    }

    /// <summary>
    /// Creates the store outside a host (the <c>maintenance</c> CLI, tools, tests): a relative
    /// <see cref="FileStoreOptions.Path"/> is resolved against the current directory.
    /// </summary>
    /// <param name="options">The file store options.</param>
    /// <param name="logger">Where warnings go; nowhere when <see langword="null"/>.</param>
    public FileMaintenanceStateStore(FileStoreOptions options, ILogger<FileMaintenanceStateStore>? logger = null)
        : this(Validate(options), null, logger)
    {
    }

    private FileMaintenanceStateStore(FileStoreOptions options, string? root, ILogger? logger)
    {
        StatePath = root is null ? System.IO.Path.GetFullPath(options.Path) : System.IO.Path.GetFullPath(options.Path, root);
        _directory = System.IO.Path.GetDirectoryName(StatePath) ?? throw new ArgumentException($"The state file path '{StatePath}' has no folder.", nameof(options));
        _fileName = System.IO.Path.GetFileName(StatePath);
        AuditPath = System.IO.Path.Combine(_directory, System.IO.Path.GetFileNameWithoutExtension(_fileName) + ".audit.jsonl");
        LockPath = StatePath + ".lock";
        _pollInterval = options.PollInterval;
        _lockTimeout = options.LockTimeout;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The full path of the state file.</summary>
    public string StatePath { get; }

    /// <summary>The full path of the audit file (JSON lines, appended only).</summary>
    public string AuditPath { get; }

    /// <summary>The full path of the lock file held while a change is written.</summary>
    public string LockPath { get; }

    /// <summary>Whether <see cref="WatchAsync"/> uses a file watcher beside polling (tests switch it off to prove the poll alone suffices).</summary>
    internal bool UseFileSystemWatcher { get; init; } = true;

    /// <inheritdoc />
    /// <remarks>A missing file (or folder) means no application has state yet: the list is empty.</remarks>
    /// <exception cref="MaintenanceStoreException">The file cannot be read, is corrupt or half-written, or has an unknown format version.</exception>
    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        var (document, _) = await ReadDocumentAsync(cancellationToken).ConfigureAwait(false);
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

        using var fileLock = await CrossProcessFileLock.AcquireAsync(LockPath, _lockTimeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);

        (StateFileDocument? document, byte[]? previous) read;
        try
        {
            read = await ReadDocumentAsync(cancellationToken).ConfigureAwait(false);
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
            await WriteDocumentAsync(document).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not write the maintenance state file '{StatePath}': {ex.Message} Nothing was written.", ex);
        }

        try
        {
            await AppendAuditAsync(auditEntry).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaintenanceLog.AuditAppendFailed(_logger, AuditPath, ex);
            await RestoreAsync(read.previous).ConfigureAwait(false);
            throw new MaintenanceStoreException($"Could not append to the maintenance audit file '{AuditPath}': {ex.Message} The state change was undone.", ex);
        }

        MaintenanceLog.FileStateSaved(_logger, state.Application, StatePath, state.Version);
    }

    /// <inheritdoc />
    /// <remarks>A line that is not a valid entry is skipped with a logged warning; a last line still being written is ignored.</remarks>
    public async Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        byte[] bytes;
        try
        {
            var stream = new FileStream(AuditPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not read the maintenance audit file '{AuditPath}': {ex.Message}", ex);
        }

        // Index the complete lines; a trailing piece without '\n' is an append in progress (or torn by a crash).
        var lines = new List<(int Start, int Length)>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add((start, i - start));
                start = i + 1;
            }
        }

        var result = new List<MaintenanceAuditEntry>(Math.Min(limit, lines.Count));
        for (var n = lines.Count - 1; n >= 0 && result.Count < limit; n--)
        {
            var line = bytes.AsMemory(lines[n].Start, lines[n].Length);
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            MaintenanceAuditEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize(line.Span, PersistenceJsonContext.Default.MaintenanceAuditEntry);
            }
            catch (JsonException ex)
            {
                MaintenanceLog.AuditLineCorrupt(_logger, n + 1, AuditPath, ex);
                continue;
            }

            if (entry is null)
            {
                MaintenanceLog.AuditLineCorrupt(_logger, n + 1, AuditPath, null);
                continue;
            }

            if (application is null || string.Equals(entry.Application, application, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Watches the folder with a <see cref="FileSystemWatcher"/> and, because watchers miss events on network file
    /// systems and in some containers, also compares the file's last write time and length every
    /// <see cref="FileStoreOptions.PollInterval"/>. Calls <paramref name="onChanged"/> once at the start, to catch a
    /// change made between the caller's load and the start of watching.
    /// </remarks>
    public async Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        using var signal = new SemaphoreSlim(0, 1);
        var watcherFailureLogged = false;
        FileSystemWatcher? watcher = null;

        void Signal()
        {
            try
            {
                if (signal.CurrentCount == 0)
                {
                    signal.Release();
                }
            }
            catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
            {
                // Already signalled, or watching has stopped.
            }
        }

        try
        {
            try
            {
                Directory.CreateDirectory(_directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Polling notices the file once someone else creates the folder.
            }

            watcher = TryCreateWatcher(Signal, ref watcherFailureLogged);
            var last = FileFingerprint.Of(StatePath);
            await onChanged(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                bool signalled;
                try
                {
                    signalled = await signal.WaitAsync(_pollInterval, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                watcher ??= TryCreateWatcher(Signal, ref watcherFailureLogged);
                var now = FileFingerprint.Of(StatePath);
                if (signalled || now != last)
                {
                    last = now;
                    await onChanged(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    private static FileStoreOptions Validate(FileStoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException("MaintenanceMode:FileStore:Path is empty; give the state file path (default App_Data/maintenance/state.json).", nameof(options));
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MaintenanceMode:FileStore:PollInterval must be positive (was {options.PollInterval}).", nameof(options));
        }

        if (options.LockTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MaintenanceMode:FileStore:LockTimeout must be positive (was {options.LockTimeout}).", nameof(options));
        }

        return options;
    }

    private FileSystemWatcher? TryCreateWatcher(Action signal, ref bool failureLogged)
    {
        if (!UseFileSystemWatcher || !Directory.Exists(_directory))
        {
            return null;
        }

        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(_directory, _fileName)
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
                MaintenanceLog.FileWatcherError(_logger, _directory, e.GetException());
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
                MaintenanceLog.FileWatcherUnavailable(_logger, _directory, _pollInterval, ex);
            }

            return null;
        }
    }

    private void EnsureDirectory()
    {
        try
        {
            Directory.CreateDirectory(_directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not create the folder '{_directory}' for the maintenance state file: {ex.Message}", ex);
        }
    }

    private async Task<(StateFileDocument? Document, byte[]? Bytes)> ReadDocumentAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await RetryOnSharingViolationAsync(() => File.ReadAllBytesAsync(StatePath, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not read the maintenance state file '{StatePath}': {ex.Message}", ex);
        }

        return (Parse(bytes), bytes);
    }

    private StateFileDocument Parse(byte[] bytes)
    {
        StateFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, PersistenceJsonContext.Default.StateFileDocument);
        }
        catch (JsonException ex)
        {
            throw Corrupt(bytes.Length == 0 ? "it is empty" : $"it is not valid state JSON ({ex.Message})", ex);
        }

        if (document?.Applications is null)
        {
            throw Corrupt("it holds no 'applications' object", new InvalidDataException("null document"));
        }

        if (document.Version != FormatVersion)
        {
            throw new MaintenanceStoreException(
                $"The maintenance state file '{StatePath}' has format version {document.Version}; this version of MaintenanceMiddleware reads format {FormatVersion}. Upgrade the package, or fix the file.");
        }

        var applications = new Dictionary<string, MaintenanceState>(document.Applications.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, state) in document.Applications)
        {
            if (state is null || !string.Equals(key, state.Application, StringComparison.OrdinalIgnoreCase))
            {
                throw Corrupt($"the entry '{MaintenanceText.Sanitize(key)}' does not hold the state of that application", new InvalidDataException(key));
            }

            if (!applications.TryAdd(key, state))
            {
                throw Corrupt($"the application '{MaintenanceText.Sanitize(key)}' appears twice", new InvalidDataException(key));
            }
        }

        document.Applications = applications;
        return document;
    }

    private MaintenanceStoreException Corrupt(string what, Exception inner) =>
        new($"The maintenance state file '{StatePath}' is corrupt or half-written: {what}.", inner);

    private async Task WriteDocumentAsync(StateFileDocument document)
    {
        // The shared persistence context writes compact JSON; the state file is indented for people who read it.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            JsonSerializer.Serialize(writer, document, PersistenceJsonContext.Default.StateFileDocument);
        }

        var bytes = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(bytes);
        bytes[^1] = (byte)'\n';
        await ReplaceAtomicallyAsync(bytes).ConfigureAwait(false);
    }

    // Same folder, so the rename never crosses a file system and is atomic; flushed first, so a crash after the
    // rename cannot leave an empty file behind.
    private async Task ReplaceAtomicallyAsync(byte[] bytes)
    {
        var temp = System.IO.Path.Combine(_directory, $".{_fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            await RetryOnSharingViolationAsync(
                () =>
                {
                    File.Move(temp, StatePath, overwrite: true);
                    return Task.FromResult(true);
                },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private async Task AppendAuditAsync(MaintenanceAuditEntry entry)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, PersistenceJsonContext.Default.MaintenanceAuditEntry);
        var stream = new FileStream(AuditPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        await using (stream.ConfigureAwait(false))
        {
            // A line torn by a crash is ended first, so it stays one skipped line instead of spoiling this one too.
            var prefix = false;
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                prefix = stream.ReadByte() != '\n';
            }

            stream.Seek(0, SeekOrigin.End);
            var line = new byte[json.Length + (prefix ? 2 : 1)];
            if (prefix)
            {
                line[0] = (byte)'\n';
            }

            json.CopyTo(line, prefix ? 1 : 0);
            line[^1] = (byte)'\n';
            await stream.WriteAsync(line).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    private async Task RestoreAsync(byte[]? previous)
    {
        try
        {
            if (previous is null)
            {
                File.Delete(StatePath);
            }
            else
            {
                await ReplaceAtomicallyAsync(previous).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaintenanceLog.AuditRollbackFailed(_logger, StatePath, ex);
        }
    }

    // On Windows a reader that has the file open briefly blocks a replace (and a replace briefly blocks a reader);
    // on Unix this never retries.
    private static async Task<T> RetryOnSharingViolationAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (IOException ex) when (attempt < 5 && ex is not FileNotFoundException and not DirectoryNotFoundException && OperatingSystem.IsWindows())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaintenanceLog.TempFileNotDeleted(_logger, path, ex);
        }
    }
}
