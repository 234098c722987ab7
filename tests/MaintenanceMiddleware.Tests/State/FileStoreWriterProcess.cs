using System.Diagnostics;
using System.Reflection;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>Runs the FileStoreWriter test helper as a separate process (<c>dotnet &lt;dll&gt; ...</c>).</summary>
internal static class FileStoreWriterProcess
{
    public static string DllPath
    {
        get
        {
            var path = typeof(FileStoreWriterProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "FileStoreWriterPath").Value!;
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"The writer helper was not built at '{path}'. Build tests/MaintenanceMiddleware.Tests (it references the writer project).");
            }

            return path;
        }
    }

    public static Process Start(params string[] args)
    {
        // The SDK tells child processes which dotnet runs them; fall back to the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var info = new ProcessStartInfo(string.IsNullOrEmpty(dotnet) ? "dotnet" : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the writer process.");
    }

    /// <summary>Waits for the process and returns its standard output; fails with its error output when the exit code is not 0.</summary>
    public static async Task<string> WaitForSuccessAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The writer process did not finish within {timeout.TotalSeconds} s.");
        }

        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The writer process exited with {process.ExitCode}: {error}{output}");
        }

        return output;
    }
}
