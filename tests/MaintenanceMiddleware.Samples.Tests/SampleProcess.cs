using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// A sample run as a real process (<c>dotnet samples/X/bin/.../X.dll</c>, its folder as content root) on a free
/// 127.0.0.1 port, configured through environment variables as an operator would. Killed (this process only) on dispose.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The operating system's id of the process (the instance id an app reports by default is <c>host:pid</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The instance id the app reports to the store by default.</summary>
    public string InstanceId => $"{Environment.MachineName}:{_process.Id}";

    /// <summary>What the process wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="sample"/> (Storefront or BackOffice) on <paramref name="port"/> and waits until <c>/healthz</c> answers.</summary>
    public static async Task<SampleProcess> StartAsync(string sample, int port, IReadOnlyDictionary<string, string> environment)
    {
        var folder = SampleFolder(sample);
        var dll = Path.Combine(folder, "bin", Configuration, "net10.0", sample + ".dll");
        return await StartAsync(sample, dll, folder, port, environment);
    }

    /// <summary>The build configuration of this test run (bin/&lt;Configuration&gt;/&lt;tfm&gt;), which the samples are built in too.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The folder of the sample project <paramref name="sample"/>.</summary>
    public static string SampleFolder(string sample) => Path.Combine(RepositoryRoot(), "samples", sample);

    /// <summary>Starts the application <paramref name="dll"/> with <paramref name="folder"/> as working folder and content root (a published output, for example).</summary>
    public static async Task<SampleProcess> StartAsync(string sample, string dll, string folder, int port, IReadOnlyDictionary<string, string> environment)
    {
        Assert.True(File.Exists(dll), $"The {sample} sample is not built at {dll}.");

        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var sampleProcess = new SampleProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => sampleProcess.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sampleProcess.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = sampleProcess.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"The {sample} sample exited with {process.ExitCode}:\n{sampleProcess.Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return sampleProcess;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }

            if (DateTime.UtcNow > deadline)
            {
                await sampleProcess.DisposeAsync();
                Assert.Fail($"The {sample} sample did not answer /healthz within 60 s:\n{sampleProcess.Output}");
            }

            await Task.Delay(200);
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
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // From the test's output folder, not [CallerFilePath]: a CI build maps source paths to /_/ (deterministic builds).
    private static string RepositoryRoot()
    {
        var path = AppContext.BaseDirectory;
        var directory = new DirectoryInfo(path);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MaintenanceMiddleware.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No MaintenanceMiddleware.sln above {path}.");
    }
}
