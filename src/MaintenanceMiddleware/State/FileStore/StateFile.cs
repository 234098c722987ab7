using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// The state document on disk: reads and parses it, and replaces it atomically (a temporary file in the same folder,
/// flushed, then renamed over the state file), so readers see the old file or the new one, never half of one.
/// </summary>
internal sealed class StateFile(FileStorePaths paths, TimeProvider time, ILogger logger)
{
    private const int FormatVersion = StateFileDocument.CurrentFormatVersion;

    public string Path => paths.StatePath;

    /// <summary>Reads the document and the bytes it was parsed from; both <see langword="null"/> when the file (or folder) does not exist.</summary>
    /// <exception cref="MaintenanceStoreException">The file cannot be read, is corrupt or half-written, or has an unknown format version.</exception>
    public async Task<(StateFileDocument? Document, byte[]? Bytes)> ReadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await RetryOnSharingViolationAsync(() => File.ReadAllBytesAsync(Path, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MaintenanceStoreException($"Could not read the maintenance state file '{Path}': {ex.Message}", ex);
        }

        return (Parse(bytes), bytes);
    }

    /// <summary>Writes <paramref name="document"/> (indented, for people who read it) in place of the state file.</summary>
    public async Task WriteAsync(StateFileDocument document)
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

    /// <summary>Puts back <paramref name="previous"/> (deletes the file when there was none). Failures are logged, not thrown.</summary>
    public async Task RestoreAsync(byte[]? previous)
    {
        try
        {
            if (previous is null)
            {
                File.Delete(Path);
            }
            else
            {
                await ReplaceAtomicallyAsync(previous).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MaintenanceLog.AuditRollbackFailed(logger, Path, ex);
        }
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
                $"The maintenance state file '{Path}' has format version {document.Version}; this version of MaintenanceMiddleware reads format {FormatVersion}. Upgrade the package, or fix the file.");
        }

        var applications = new Dictionary<string, MaintenanceState>(document.Applications.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, state) in document.Applications)
        {
            if (state is null || !string.Equals(key, state.Application, StringComparison.OrdinalIgnoreCase))
            {
                throw Corrupt($"the entry '{MaintenanceValidation.Sanitize(key)}' does not hold the state of that application", new InvalidDataException(key));
            }

            if (!applications.TryAdd(key, state))
            {
                throw Corrupt($"the application '{MaintenanceValidation.Sanitize(key)}' appears twice", new InvalidDataException(key));
            }
        }

        document.Applications = applications;
        return document;
    }

    private MaintenanceStoreException Corrupt(string what, Exception inner) =>
        new($"The maintenance state file '{Path}' is corrupt or half-written: {what}.", inner);

    // Same folder, so the rename never crosses a file system and is atomic; flushed first, so a crash after the
    // rename cannot leave an empty file behind.
    private async Task ReplaceAtomicallyAsync(byte[] bytes)
    {
        var temp = System.IO.Path.Combine(paths.Directory, $".{paths.FileName}.{Guid.NewGuid():N}.tmp");
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
                    File.Move(temp, Path, overwrite: true);
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

    // On Windows a reader that has the file open briefly blocks a replace (and a replace briefly blocks a reader);
    // on Unix this never retries.
    private async Task<T> RetryOnSharingViolationAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (IOException ex) when (attempt < 5 && ex is not FileNotFoundException and not DirectoryNotFoundException && OperatingSystem.IsWindows())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), time, cancellationToken).ConfigureAwait(false);
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
            MaintenanceLog.TempFileNotDeleted(logger, path, ex);
        }
    }
}
