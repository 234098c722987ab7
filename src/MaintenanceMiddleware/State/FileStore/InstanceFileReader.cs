using System.Text.Json;

namespace MaintenanceMiddleware;

/// <summary>One entry of the instance folder as read: a report, or why it could not be read.</summary>
/// <param name="Report">The report, or <see langword="null"/> when <paramref name="Problem"/> says why not.</param>
/// <param name="Problem">Why the entry is not a report ("not JSON (...)", "a directory"), or <see langword="null"/>.</param>
/// <param name="Fingerprint">The entry's fingerprint taken before it was read: a delete checks that nobody rewrote it since.</param>
internal sealed record InstanceFileEntry(MaintenanceInstanceReport? Report, string? Problem, FileFingerprint Fingerprint);

/// <summary>
/// Reads one entry of the instance folder without ever blocking or throwing for its content: through
/// <see cref="PageFileReader"/>, which opens with <c>O_NONBLOCK</c> and checks the opened handle, so a FIFO, a device,
/// a directory or a file larger than <see cref="MaxBytes"/> is refused, not read.
/// </summary>
internal static class InstanceFileReader
{
    /// <summary>The largest report file read (a report is a few hundred bytes).</summary>
    public const int MaxBytes = 1024 * 1024;


    // Instance files are the store's own and read only as data: any target of a link is fine, so every path is inside.
    private static readonly string[] s_anywhere = [string.Empty];

    /// <summary>Reads <paramref name="path"/> (named <paramref name="fileName"/>); <see langword="null"/> when it vanished meanwhile.</summary>
    public static InstanceFileEntry? Read(string path, string fileName)
    {
        var fingerprint = FileFingerprint.Of(path);
        byte[]? bytes;
        string? skipped;
        try
        {
            bytes = PageFileReader.TryRead(path, s_anywhere, MaxBytes, out skipped);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Windows refuses to open a directory as a file ("access denied"): say what it is.
            return new(null, Directory.Exists(path) ? "a directory" : $"unreadable ({ex.Message})", fingerprint);
        }

        if (bytes is null)
        {
            // PageFileReader says "it is a directory"; the list says "state.instances/x.json: a directory".
            return skipped is null ? null : new(null, skipped.StartsWith("it is ", StringComparison.Ordinal) ? skipped["it is ".Length..] : skipped, fingerprint);
        }

        return Parse(bytes, fileName, fingerprint);
    }

    private static InstanceFileEntry Parse(byte[] bytes, string fileName, FileFingerprint fingerprint)
    {
        if (bytes.Length == 0)
        {
            return new(null, "empty", fingerprint);
        }

        try
        {
            using var _ = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            return new(null, $"not JSON ({ex.Message})", fingerprint);
        }

        MaintenanceInstanceReport? report;
        try
        {
            report = JsonSerializer.Deserialize(bytes, MaintenanceStoreJson.InstanceReport);
        }
        catch (JsonException ex)
        {
            return new(null, $"not an instance report ({ex.Message})", fingerprint);
        }

        if (report is null)
        {
            return new(null, "not an instance report (a required field is null)", fingerprint);
        }

        if (!report.TryValidate(out var problem))
        {
            return new(null, $"not an instance report ({problem})", fingerprint);
        }

        // A copied or renamed file would list an instance twice: only the file its id names counts.
        var expected = InstanceFileName.Of(report.InstanceId);
        if (!string.Equals(expected, fileName, StringComparison.Ordinal))
        {
            return new(null, $"holds the report of '{MaintenanceText.Sanitize(report.InstanceId)}', whose file is '{expected}'", fingerprint);
        }

        return new(report, null, fingerprint);
    }
}
