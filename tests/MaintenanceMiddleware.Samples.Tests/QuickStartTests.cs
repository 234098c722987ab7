using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// The README's quick start, as a new user meets it: the <c>csharp</c> block under "## Quick start" becomes the
/// <c>Program.cs</c> of a fresh web project (what <c>dotnet new web</c> makes, with a project reference to the
/// package), which builds and runs: off it answers, forced on it serves the maintenance answer.
/// </summary>
public sealed partial class QuickStartTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("mm-quickstart-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public async Task The_README_quick_start_builds_and_runs_as_pasted_in_a_new_web_app()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("\n## Quick start", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var snippet = CSharpBlock().Match(section);
        Assert.True(snippet.Success, "No ```csharp block under \"## Quick start\" in README.md.");

        await File.WriteAllTextAsync(Path.Combine(_project, "Program.cs"), snippet.Groups[1].Value);
        var package = Path.Combine(RepositoryRoot(), "src", "MaintenanceMiddleware", "MaintenanceMiddleware.csproj");
        await File.WriteAllTextAsync(Path.Combine(_project, "QuickStart.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{package}" />
              </ItemGroup>
            </Project>
            """);

        var (exitCode, output) = await RunAsync(TimeSpan.FromSeconds(120), "build", Path.Combine(_project, "QuickStart.csproj"), "-c", SampleProcess.Configuration, "--nologo");
        Assert.True(exitCode == 0, $"The quick start does not build as pasted:\n{output}");

        await using var app = await SampleProcess.StartAsync(
            "QuickStart",
            Path.Combine(_project, "bin", SampleProcess.Configuration, "net10.0", "QuickStart.dll"),
            _project,
            SampleProcess.FreePort(),
            new Dictionary<string, string> { ["MaintenanceMode__Enabled"] = "true", ["MaintenanceMode__Application"] = "QuickStart" });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await Eventually.StatusOfAsync(client, "/"));
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    private static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout + await stderr);
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
