using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace MaintenanceMiddleware.Tests.Architecture;

/// <summary>Dependencies run Control -> State -> Access: no file under State/ or Access/ uses a type declared under Control/.</summary>
public sealed partial class DependencyDirectionTests
{
    [Fact]
    public void State_and_Access_use_no_type_declared_in_Control()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "MaintenanceMiddleware");
        var controlTypes = Directory.EnumerateFiles(Path.Combine(source, "Control"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => DeclaredType().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("MaintenanceModeService", controlTypes);
        Assert.Contains("MaintenanceValidationException", controlTypes);

        var violations = new List<string>();
        foreach (var folder in new[] { "State", "Access" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(source, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
                var words = Word().Matches(File.ReadAllText(file)).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
                violations.AddRange(words.Where(controlTypes.Contains).Select(type => $"{relative} uses {type}"));
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void The_scan_sees_a_use_when_there_is_one()
    {
        // The same word rule as above, on a line that would break the direction.
        var words = Word().Matches("throw new MaintenanceValidationException(\"reason\", error);").Select(m => m.Value);
        Assert.Contains("MaintenanceValidationException", words);
    }

    private static string RepositoryRoot([CallerFilePath] string path = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(path)!);
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
