using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>The audit file: one JSON entry per line, only ever appended, read newest first.</summary>
internal sealed class AuditLogFile(string path, ILogger logger)
{
    public string Path => path;

    /// <summary>Appends <paramref name="entry"/> as one line and flushes it to disk.</summary>
    public async Task AppendAsync(MaintenanceAuditEntry entry)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, PersistenceJsonContext.Default.MaintenanceAuditEntry);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
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
}
