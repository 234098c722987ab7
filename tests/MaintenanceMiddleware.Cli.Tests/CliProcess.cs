using System.Diagnostics;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>Runs the built <c>maintenance</c> tool as a separate process (<c>dotnet maintenance.dll ...</c>).</summary>
internal static class CliProcess
{
    private static readonly string s_tool = Path.Combine(AppContext.BaseDirectory, "maintenance.dll");

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        Assert.True(File.Exists(s_tool), $"The CLI was not built next to the tests: {s_tool}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(s_tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A clean slate: no target or key leaks in from the machine running the tests.
        foreach (var name in new[] { CliApplication.ApiKeyVariable, CliApplication.FileVariable, CliApplication.UrlVariable, CliApplication.PostgresVariable })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"maintenance {string.Join(' ', args)} did not finish within 60 s.");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
