using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// The state document on disk: reads and parses it, and replaces it atomically in two steps the store puts the
/// audit append between: <see cref="WriteTempAsync"/> (a temporary file in the same folder, with the state file's
/// mode, flushed) and <see cref="CommitAsync"/> (renamed over the state file). Readers see the old file or the new
/// one, never half of one; a change that is given up (<see cref="Discard"/>) never touches the state file.
/// </summary>
internal sealed class StateFile(FileStorePaths paths, TimeProvider time, ILogger logger)
{
    private const int FormatVersion = StateFileDocument.CurrentFormatVersion;

    private volatile bool _seen;

    public string Path => paths.StatePath;

    /// <summary>Whether this process has seen the state file exist (read it, or written it).</summary>
    public bool Seen => _seen;

    /// <summary>Reads the document; <see langword="null"/> when the file (or its folder) does not exist.</summary>
    /// <exception cref="MaintenanceStoreException">
    /// The file cannot be read (a directory in its place, a path that runs through a file, permissions), is corrupt or
    /// half-written, or has an unknown format version.
    /// </exception>
    public async Task<StateFileDocument?> ReadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await AtomicFile.RetryOnSharingViolationAsync(() => File.ReadAllBytesAsync(Path, cancellationToken), time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // On Unix a path through a regular file (ENOTDIR) arrives here too: that is an error, not "no state".
            if (ex is DirectoryNotFoundException && FileStorePaths.FileInTheWay(Path) is { } file)
            {
                throw new MaintenanceStoreException($"Could not read the maintenance state file '{Path}': '{file}' is a file, not a folder (the system reports: {ex.Message})", ex);
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReadFailed(ex);
        }

        _seen = true;
        return Parse(bytes);
    }

    /// <summary>
    /// Writes <paramref name="document"/> (indented, for people who read it) to a new temporary file beside the state
    /// file, with the state file's permissions, flushed to disk; returns its path for <see cref="CommitAsync"/> or <see cref="Discard"/>.
    /// </summary>
    public async Task<string> WriteTempAsync(StateFileDocument document)
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

        return await AtomicFile.WriteTempAsync(paths.Directory, paths.FileName, bytes, logger, Path).ConfigureAwait(false);
    }

    /// <summary>Renames <paramref name="temp"/> over the state file: same folder, so one atomic step on one file system.</summary>
    public async Task CommitAsync(string temp)
    {
        await AtomicFile.CommitAsync(temp, Path, time, logger).ConfigureAwait(false);
        _seen = true;
    }

    /// <summary>Deletes a temporary file that will not be committed; a failure is logged, not thrown.</summary>
    public void Discard(string temp) => AtomicFile.Discard(temp, logger);

    private MaintenanceStoreException ReadFailed(Exception ex) => Directory.Exists(Path)
        ? new MaintenanceStoreException($"Could not read the maintenance state file '{Path}': it is a directory, not a file. Remove the directory (or point the file store's Path at a file); switching again then writes the file.", ex)
        : new MaintenanceStoreException($"Could not read the maintenance state file '{Path}': {ex.Message}", ex);

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
                $"The maintenance state file '{Path}' has format version {document.Version}; this version of MaintenanceMiddleware reads format {FormatVersion}. Upgrade the package, or fix the file.");
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
        new($"The maintenance state file '{Path}' is corrupt or half-written: {what}.", inner);
}
