using System.Text.RegularExpressions;

namespace MaintenanceMiddleware.Tests.Architecture;

/// <summary>
/// Dependencies run Control -> Instances -> (Hooks, Drain) -> State -> Access: no file under State/, Access/, Instances/
/// or Drain/ uses a type declared under Control/, and none under State/, Access/ or Drain/ uses one declared under Instances/.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    [Fact]
    public void State_Access_Instances_and_Drain_use_no_type_declared_in_Control()
    {
        var controlTypes = DeclaredIn("Control");
        Assert.Contains("MaintenanceModeService", controlTypes);
        Assert.Contains("MaintenanceValidationException", controlTypes);
        Assert.Empty(Uses(controlTypes, "State", "Access", "Instances", "Drain"));
    }

    [Fact]
    public void State_Access_and_Drain_use_no_type_declared_in_Instances()
    {
        var instanceTypes = DeclaredIn("Instances");
        Assert.Contains("MaintenanceInstanceReporter", instanceTypes);
        Assert.Contains("InstanceConfirmationRule", instanceTypes);
        Assert.Empty(Uses(instanceTypes, "State", "Access", "Drain"));
    }

    private static string Source => Path.Combine(RepositoryRoot(), "src", "MaintenanceMiddleware");

    private static HashSet<string> DeclaredIn(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => DeclaredType().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);

    private static List<string> Uses(HashSet<string> types, params string[] folders)
    {
        var violations = new List<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Source, file).Replace('\\', '/');
                var words = Word().Matches(File.ReadAllText(file)).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
                violations.AddRange(words.Where(types.Contains).Select(type => $"{relative} uses {type}"));
            }
        }

        return violations;
    }

    [Fact]
    public void The_scan_sees_a_use_when_there_is_one()
    {
        // The same word rule as above, on a line that would break the direction.
        var words = Word().Matches("throw new MaintenanceValidationException(\"reason\", error);").Select(m => m.Value);
        Assert.Contains("MaintenanceValidationException", words);
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

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex DeclaredType();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Word();
}
