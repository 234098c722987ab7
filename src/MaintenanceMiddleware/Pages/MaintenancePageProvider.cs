using System.Collections.Frozen;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Loads <c>{ContentRoot}/{PagesRoot}/{Application}/maintenance/</c> into memory (index.html and the files beside it)
/// and reloads it when the folder changes, found by a light poll of names, sizes and write times. Requests read
/// <see cref="Current"/> and never touch the disk.
/// </summary>
/// <remarks>
/// Only regular files inside the folder are loaded: hidden files (names starting with '.'), files with no known
/// content type, symbolic links whose target lies outside the folder and symbolic links to directories are skipped,
/// so nothing outside the folder can ever be served.
/// </remarks>
internal sealed class MaintenancePageProvider : IDisposable
{
    internal const string IndexFileName = "index.html";
    internal const int MaxFileBytes = 4 * 1024 * 1024;
    internal const int MaxFiles = 256;
    internal const long MaxTotalBytes = 32 * 1024 * 1024;
    private const int MaxDepth = 8;

    private static readonly FileExtensionContentTypeProvider s_contentTypes = new();

    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly ITimer _timer;
    private volatile MaintenancePageContent _current = MaintenancePageContent.Missing;
    private bool? _pageWasMissing;
    private bool _reloadFailing;

    public MaintenancePageProvider(IOptions<MaintenanceModeOptions> options, IHostEnvironment environment, TimeProvider timeProvider, ILogger<MaintenancePageProvider> logger)
        : this(
            Path.GetFullPath(Path.Combine(options.Value.PagesRoot, options.Value.ApplicationName, "maintenance"), Path.GetFullPath(environment.ContentRootPath)),
            timeProvider,
            logger,
            TimeSpan.FromSeconds(1))
    {
    }

    internal MaintenancePageProvider(string folder, TimeProvider timeProvider, ILogger logger, TimeSpan pollInterval)
    {
        Folder = Path.TrimEndingDirectorySeparator(folder);
        _logger = logger;
        Reload();
        _timer = timeProvider.CreateTimer(static s => ((MaintenancePageProvider)s!).Poll(), this, pollInterval, pollInterval);
    }

    /// <summary>The full path of the maintenance folder.</summary>
    public string Folder { get; }

    /// <summary>The folder as last loaded. Never null.</summary>
    public MaintenancePageContent Current => _current;

    public void Dispose() => _timer.Dispose();

    /// <summary>Re-reads the folder when its fingerprint changed. Safe to call from anywhere; overlapping calls are skipped.</summary>
    public void Reload()
    {
        if (!_reloadLock.TryEnter())
        {
            return;
        }

        try
        {
            var skipped = new List<(string Relative, string Why)>();
            var files = Scan(skipped, out var roots);
            var fingerprint = Fingerprint(files, skipped);
            if (_pageWasMissing is not null && fingerprint == _current.Fingerprint)
            {
                return;
            }

            foreach (var (relative, why) in skipped)
            {
                MaintenanceLog.AssetSkipped(_logger, relative, why);
            }

            _current = Load(files, fingerprint, roots);
            LocalizedPageLoader.ReportUnknownPlaceholders(_current, _logger);
            var missing = _current.IndexHtml is null;
            if (missing && _pageWasMissing != true)
            {
                MaintenanceLog.PageMissing(_logger, Path.Combine(Folder, IndexFileName));
            }
            else if (!missing)
            {
                MaintenanceLog.PageLoaded(_logger, Folder, _current.Assets.Count);
            }

            _pageWasMissing = missing;
            _reloadFailing = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file being written or replaced: keep what was loaded, try again at the next poll.
            if (!_reloadFailing)
            {
                MaintenanceLog.PageReloadFailed(_logger, Folder, ex);
            }

            _reloadFailing = true;
        }
        finally
        {
            _reloadLock.Exit();
        }
    }

    private void Poll() => Reload();

    private List<(string Relative, FileInfo File)> Scan(List<(string, string)> skipped, out string[] roots)
    {
        var files = new List<(string, FileInfo)>();
        var root = new DirectoryInfo(Folder);
        roots = [];
        if (!root.Exists)
        {
            return files;
        }

        var lexicalRoot = root.FullName + Path.DirectorySeparatorChar;
        var realRoot = root.LinkTarget is null ? lexicalRoot : (root.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root.FullName) + Path.DirectorySeparatorChar;
        roots = PageFileReader.RealPath(root.FullName) is { } real ? [lexicalRoot, realRoot, real + Path.DirectorySeparatorChar] : [lexicalRoot, realRoot];
        ScanDirectory(root, string.Empty, 0, lexicalRoot, realRoot, files, skipped);
        files.Sort(static (a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return files;
    }

    private static void ScanDirectory(DirectoryInfo directory, string prefix, int depth, string lexicalRoot, string realRoot, List<(string, FileInfo)> files, List<(string, string)> skipped)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            var relative = prefix + entry.Name;
            if (entry.Name.StartsWith('.') || entry.Name.Contains('\\', StringComparison.Ordinal))
            {
                continue;
            }

            if (entry is DirectoryInfo subdirectory)
            {
                if (subdirectory.LinkTarget is not null)
                {
                    skipped.Add((relative, "symbolic links to directories are not followed"));
                }
                else if (depth < MaxDepth)
                {
                    ScanDirectory(subdirectory, relative + "/", depth + 1, lexicalRoot, realRoot, files, skipped);
                }

                continue;
            }

            if (entry is not FileInfo file)
            {
                continue;
            }

            if (file.LinkTarget is not null && !LinkStaysInside(file, lexicalRoot, realRoot))
            {
                skipped.Add((relative, "it is a symbolic link to a file outside the maintenance folder"));
                continue;
            }

            if (files.Count >= MaxFiles)
            {
                skipped.Add((relative, $"the folder holds more than {MaxFiles} files"));
                return;
            }

            files.Add((relative, file));
        }
    }

    // PhysicalFileProvider and File.ReadAllBytes follow symbolic links, so a link's final target must itself lie inside.
    private static bool LinkStaysInside(FileInfo link, string lexicalRoot, string realRoot)
    {
        var target = link.ResolveLinkTarget(returnFinalTarget: true);
        if (target is not FileInfo { Exists: true })
        {
            return false;
        }

        var full = Path.GetFullPath(target.FullName);
        return full.StartsWith(lexicalRoot, StringComparison.Ordinal) || full.StartsWith(realRoot, StringComparison.Ordinal);
    }

    private static int Fingerprint(List<(string Relative, FileInfo File)> files, List<(string Relative, string Why)> skipped)
    {
        var hash = new HashCode();
        hash.Add(files.Count);
        foreach (var (relative, _) in skipped)
        {
            hash.Add(relative, StringComparer.Ordinal);
        }

        foreach (var (relative, file) in files)
        {
            file.Refresh();
            hash.Add(relative, StringComparer.Ordinal);
            hash.Add(file.Exists ? file.Length : -1);
            hash.Add(file.Exists ? file.LastWriteTimeUtc.Ticks : 0);
        }

        return hash.ToHashCode();
    }

    private MaintenancePageContent Load(List<(string Relative, FileInfo File)> files, long fingerprint, string[] roots)
    {
        byte[]? index = null;
        var assets = new Dictionary<string, MaintenanceAsset>(StringComparer.Ordinal);
        long total = 0;
        foreach (var (relative, file) in files)
        {
            if (!s_contentTypes.TryGetContentType(file.Name, out var contentType))
            {
                MaintenanceLog.AssetSkipped(_logger, relative, "its file extension has no known content type");
                continue;
            }

            var room = relative == IndexFileName ? MaxFileBytes : Math.Min(MaxFileBytes, MaxTotalBytes - total);
            var bytes = PageFileReader.TryRead(file.FullName, roots, room, out var skipped);
            if (bytes is null)
            {
                if (skipped is not null)
                {
                    MaintenanceLog.AssetSkipped(_logger, relative, room < MaxFileBytes && skipped.StartsWith("it is larger", StringComparison.Ordinal)
                        ? $"the folder holds more than {MaxTotalBytes} bytes in all"
                        : skipped);
                }

                continue;
            }

            total += bytes.Length;
            if (relative == IndexFileName)
            {
                if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
                {
                    // An empty page would be an empty 503: the built-in page is better, and the log says why.
                    MaintenanceLog.PageEmpty(_logger, file.FullName);
                    continue;
                }

                index = bytes;
            }

            if (contentType.StartsWith("text/", StringComparison.Ordinal) && !contentType.Contains("charset", StringComparison.OrdinalIgnoreCase))
            {
                contentType += "; charset=utf-8";
            }

            assets[relative] = new MaintenanceAsset(bytes, contentType);
        }

        var frozen = assets.ToFrozenDictionary(StringComparer.Ordinal);
        return new MaintenancePageContent(index, frozen, fingerprint, LocalizedPageLoader.Find(frozen, _logger), LocalizedPageLoader.LanguageOf(index));
    }
}
