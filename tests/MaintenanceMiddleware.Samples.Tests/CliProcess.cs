using System.Diagnostics;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>The <c>maintenance</c> tool run as a process (maintenance.dll beside the tests), as a pipeline step runs it.</summary>
internal static class CliProcess
{
    public static async Task<(int ExitCode, string Output, string Error, TimeSpan Elapsed)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "maintenance.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "MAINTENANCE_FILE", "MAINTENANCE_URL", "MAINTENANCE_POSTGRES", "MAINTENANCE_REDIS", "MAINTENANCE_API_KEY" })
        {
            info.Environment.Remove(name);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }
}
