using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MaintenanceMiddleware;

/// <summary>
/// Reads one file of the maintenance folder through a single handle and checks what that handle is, never re-opening
/// the file by name: a link re-pointed between a check and a read, a FIFO, a device or a directory put in the
/// folder is refused (see docs/architecture.md, "Pages").
/// </summary>
/// <remarks>
/// On Linux and macOS the file is opened with <c>O_NONBLOCK</c>, so a FIFO cannot block start-up or a reload (a plain
/// open of a FIFO waits for a writer forever), and the handle must be a seekable non-directory, that is a regular file.
/// On Linux the opened file's real path (<c>/proc/self/fd</c>) must also lie inside the folder. Elsewhere the link check
/// made before the open is what applies (macOS: <c>fcntl(F_GETPATH)</c> is variadic and not safely callable here).
/// </remarks>
internal static partial class PageFileReader
{
    /// <summary>Reads <paramref name="path"/> when it is a regular file inside one of <paramref name="roots"/> and at most <paramref name="maxBytes"/> long.</summary>
    /// <returns><see langword="null"/> and why in <paramref name="skipped"/> when it is not served; <paramref name="skipped"/> is also null when the file has vanished.</returns>
    /// <exception cref="IOException">The file exists but could not be read.</exception>
    public static byte[]? TryRead(string path, ReadOnlySpan<string> roots, long maxBytes, out string? skipped)
    {
        skipped = null;
        SafeFileHandle handle;
        try
        {
            handle = Open(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (handle)
        {
            if (handle.IsInvalid)
            {
                return null;
            }

            if (OpenedPath(handle) is { } real && !IsInside(real, roots))
            {
                skipped = "it resolves to a file outside the maintenance folder";
                return null;
            }

            if (File.GetAttributes(handle).HasFlag(FileAttributes.Directory))
            {
                skipped = "it is a directory";
                return null;
            }

            long length;
            try
            {
                length = RandomAccess.GetLength(handle);
            }
            catch (NotSupportedException)
            {
                skipped = "it is not a regular file (a FIFO, socket or device)";
                return null;
            }

            if (length > maxBytes)
            {
                skipped = $"it is larger than {maxBytes} bytes";
                return null;
            }

            var bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0)
                {
                    // Truncated while reading: serve what the file now holds.
                    Array.Resize(ref bytes, read);
                    break;
                }

                read += n;
            }

            return bytes;
        }
    }

    /// <summary>The real path of <paramref name="directory"/> with every link on the way resolved (Linux), else <see langword="null"/>.</summary>
    public static string? RealPath(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            using var handle = Open(directory);
            return OpenedPath(handle);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsInside(string real, ReadOnlySpan<string> roots)
    {
        foreach (var root in roots)
        {
            if (real.StartsWith(root, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static SafeFileHandle Open(string path)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC; the values differ between the two kernels.
            var flags = OperatingSystem.IsLinux() ? 0x800 | 0x100 | 0x80000 : 0x4 | 0x20000 | 0x1000000;
            var fd = Native.Open(path, flags);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                const int ENOENT = 2, ENOTDIR = 20;
                if (errno is ENOENT or ENOTDIR)
                {
                    throw new FileNotFoundException(null, path);
                }

                throw new IOException($"Could not open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            return new SafeFileHandle(fd, ownsHandle: true);
        }

        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
    }

    private static string? OpenedPath(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            return new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
        }

        return null;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial int Open(string path, int flags);
    }
}
