using System.Diagnostics;
using System.Net;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// <c>dotnet publish</c> of the Storefront, as a deploy does it: the package's build targets
/// (src/MaintenanceMiddleware/build/MaintenanceMiddleware.targets) put the designed pages in the output and keep the
/// file store's files out; the published output, started on its own, serves the designed page.
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("mm-publish-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task Published_Storefront_carries_the_designed_pages_and_no_state_files_and_serves_the_page()
    {
        var stateFolder = Path.Combine(SampleProcess.SampleFolder("Storefront"), "App_Data", "maintenance");
        var instances = Path.Combine(stateFolder, "publish-probe.instances");

        // Instance reports are left out wherever they are in the project, also beside a state file in the content root.
        var rootInstances = Path.Combine(SampleProcess.SampleFolder("Storefront"), "publish-probe.instances");
        Directory.CreateDirectory(instances);
        Directory.CreateDirectory(rootInstances);
        var probes = new[] { "publish-probe.json", "publish-probe.audit.jsonl", "publish-probe.json.lock", Path.Combine("publish-probe.instances", "web-1-0123456789abcdef.json") }
            .Select(name => Path.Combine(stateFolder, name))
            .Append(Path.Combine(rootInstances, "web-1-0123456789abcdef.json"))
            .Append(Path.Combine(rootInstances, ".web-1-0123456789abcdef.json.0123.tmp"))
            .ToArray();
        foreach (var probe in probes)
        {
            await File.WriteAllTextAsync(probe, "{}");
        }

        try
        {
            await PublishAsync("Storefront", _output);
        }
        finally
        {
            foreach (var probe in probes)
            {
                File.Delete(probe);
            }

            Directory.Delete(instances);
            Directory.Delete(rootInstances);
        }

        var pages = Path.Combine(_output, "public", "Storefront", "maintenance");
        Assert.True(File.Exists(Path.Combine(pages, "index.html")), $"No designed page in {pages}.");
        Assert.True(File.Exists(Path.Combine(pages, "style.css")));
        Assert.True(File.Exists(Path.Combine(pages, "de", "index.html")));
        Assert.False(Directory.Exists(Path.Combine(_output, "App_Data", "maintenance")), "The file store's folder was published.");
        Assert.False(Directory.Exists(Path.Combine(_output, "publish-probe.instances")), "Instance files in the content root were published.");

        await using var app = await SampleProcess.StartAsync(
            "Storefront",
            Path.Combine(_output, "Storefront.dll"),
            _output,
            SampleProcess.FreePort(),
            new Dictionary<string, string> { ["MaintenanceMode__Enabled"] = "true", ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("<title>Back soon · Hearth &amp; Field</title>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_with_a_NuGet_reference_publishes_the_pages_and_no_state_files()
    {
        // The package as a user gets it (packed from this build), restored into a private cache (never the user's).
        var feed = Path.Combine(_output, "feed");
        var package = Path.Combine(SampleProcess.SampleFolder("Storefront"), "..", "..", "src", "MaintenanceMiddleware", "MaintenanceMiddleware.csproj");
        await DotnetAsync("pack", Path.GetFullPath(package), "-c", SampleProcess.Configuration, "--no-build", "--nologo", "-o", feed);

        var app = Path.Combine(_output, "app");
        Directory.CreateDirectory(Path.Combine(app, "public", "Shop", "maintenance", "de"));
        Directory.CreateDirectory(Path.Combine(app, "App_Data", "maintenance"));
        await File.WriteAllTextAsync(Path.Combine(app, "public", "Shop", "maintenance", "index.html"), "<title>Shop</title>");
        await File.WriteAllTextAsync(Path.Combine(app, "public", "Shop", "maintenance", "de", "index.html"), "<title>Laden</title>");
        await File.WriteAllTextAsync(Path.Combine(app, "App_Data", "maintenance", "state.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(app, "App_Data", "maintenance", "state.audit.jsonl"), "{}");
        Directory.CreateDirectory(Path.Combine(app, "state.instances"));
        await File.WriteAllTextAsync(Path.Combine(app, "state.instances", "web-1-0123456789abcdef.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <configuration><packageSources><clear /><add key="local" value="{feed}" /></packageSources></configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Shop.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="MaintenanceMiddleware" Version="*" /></ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddMaintenanceMode();\nvar web = builder.Build();\nweb.UseMaintenanceMode();\nweb.Run();\n");

        var published = Path.Combine(_output, "published");
        await DotnetAsync("publish", Path.Combine(app, "Shop.csproj"), "-c", "Release", "--nologo", "-o", published, "-p:RestorePackagesPath=" + Path.Combine(_output, "packages"));

        Assert.True(File.Exists(Path.Combine(published, "public", "Shop", "maintenance", "index.html")));
        Assert.True(File.Exists(Path.Combine(published, "public", "Shop", "maintenance", "de", "index.html")));
        Assert.False(Directory.Exists(Path.Combine(published, "App_Data")), "The file store's folder was published.");
        Assert.False(Directory.Exists(Path.Combine(published, "state.instances")), "Instance files in the content root were published.");
    }

    /// <summary>Publishes the sample (already built in this configuration: <c>--no-build</c>) into <paramref name="output"/>.</summary>
    internal static async Task PublishAsync(string sample, string output)
    {
        var project = Path.Combine(SampleProcess.SampleFolder(sample), sample + ".csproj");
        await DotnetAsync("publish", project, "-c", SampleProcess.Configuration, "--no-build", "--nologo", "-o", output);
    }

    private static async Task DotnetAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet {args[0]} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
