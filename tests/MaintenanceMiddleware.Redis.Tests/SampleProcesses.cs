using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>The Storefront sample and the <c>maintenance</c> tool as real processes (<c>dotnet x.dll</c>), built beside the tests.</summary>
internal static class SampleProcesses
{
    private static readonly string s_repository = FindRepository();

    /// <summary>Starts the Storefront sample, unchanged, on a free loopback port with <paramref name="environment"/>; waits until it answers.</summary>
    public static async Task<StorefrontProcess> StartStorefrontAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var info = Start("Storefront.dll", ["--urls", $"http://127.0.0.1:{port}", "--contentRoot", Path.Combine(s_repository, "samples", "Storefront")], environment);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = new StorefrontProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}/"));
        await process.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>Runs <c>maintenance</c> with <paramref name="args"/> and <paramref name="environment"/>; returns exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCliAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = Start("maintenance.dll", args, environment);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var path = Path.Combine(AppContext.BaseDirectory, dll);
        Assert.True(File.Exists(path), $"{dll} was not built next to the tests: {path}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A clean slate: no store or target leaks in from the machine running the tests.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MAINTENANCE_", StringComparison.Ordinal) || k.StartsWith("MaintenanceMode__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MaintenanceMiddleware.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository (MaintenanceMiddleware.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A running Storefront process; killed on dispose.</summary>
internal sealed class StorefrontProcess : IAsyncDisposable
{
    private static readonly HttpClient s_client = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public StorefrontProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task<int> GetStatusAsync(string path = "")
    {
        using var response = await s_client.GetAsync(new Uri(Address, path));
        return (int)response.StatusCode;
    }

    public async Task<string> GetHealthAsync()
    {
        using var response = await s_client.GetAsync(new Uri(Address, "healthz"));
        return await response.Content.ReadAsStringAsync();
    }

    public async Task WaitUntilUpAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.False(_process.HasExited, $"The Storefront exited ({(_process.HasExited ? _process.ExitCode : 0)}):\n{Log}");
            try
            {
                await GetStatusAsync("healthz");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
