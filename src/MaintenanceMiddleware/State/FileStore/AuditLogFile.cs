using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>The audit file: one JSON entry per line, only ever appended, read newest first.</summary>
internal sealed class AuditLogFile(string path, ILogger logger)
{
    public string Path => path;

    /// <summary>
    /// Whether the audit file records at least one change. It is only ever appended, so entries beside a missing
    /// state file mean the state file existed and vanished.
    /// </summary>
    public bool HasEntries()
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length > 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Appends <paramref name="entry"/> as one line and flushes it to disk; returns the file's length before, for
    /// <see cref="Withdraw"/>. When the write fails half-way, the piece written is cut off again before the error is thrown.
    /// </summary>
    public async Task<long> AppendAsync(MaintenanceAuditEntry entry)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, PersistenceJsonContext.Default.MaintenanceAuditEntry);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        await using (stream.ConfigureAwait(false))
        {
            var before = stream.Length;
            try
            {
                // A line torn by a crash is ended first, so it stays one skipped line instead of spoiling this one too.
                var prefix = false;
                if (before > 0)
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
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryCut(stream, before);
                throw;
            }

            return before;
        }
    }

    /// <summary>Takes back the last append (the writer still holds the store's lock, so nothing was appended since).</summary>
    public void Withdraw(long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        stream.SetLength(length);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The newest audited state of each application: what a vanished state file held, as far as the trail knows.</summary>
    public async Task<IReadOnlyList<MaintenanceState>> ReadLastStatesAsync(CancellationToken cancellationToken)
    {
        var entries = await ReadNewestFirstAsync(null, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var states = new Dictionary<string, MaintenanceState>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (entry.After is { } after && string.Equals(after.Application, entry.Application, StringComparison.OrdinalIgnoreCase))
            {
                states.TryAdd(after.Application, after);
            }
        }

        return [.. states.Values];
    }

    /// <summary>Reads the entries newest first, optionally of one application, at most <paramref name="limit"/>.</summary>
    /// <remarks>A line that is not a valid entry is skipped with a logged warning; a last line still being written is ignored.</remarks>
    public async Task<IReadOnlyList<MaintenanceAuditEntry>> ReadNewestFirstAsync(string? application, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        byte[] bytes;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
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
            throw new MaintenanceStoreException($"Could not read the maintenance audit file '{path}': {ex.Message}", ex);
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
                MaintenanceLog.AuditLineCorrupt(logger, n + 1, path, ex);
                continue;
            }

            if (entry is null)
            {
                MaintenanceLog.AuditLineCorrupt(logger, n + 1, path, null);
                continue;
            }

            if (application is null || string.Equals(entry.Application, application, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    private static void TryCut(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The piece stays; the reader skips a line that is not a whole entry.
        }
    }
}
