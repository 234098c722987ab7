using System.Runtime.CompilerServices;

namespace MaintenanceMiddleware.Testing;

/// <summary>
/// Linked into every test project (tests/Directory.Build.props): before any test runs, points the file store's
/// per-machine default folder (<c>MAINTENANCE_STATE_DIR</c>) at a fresh temporary folder of this test process, so no
/// test ever writes to /var/lib, %ProgramData% or the home folder. Child processes (samples, the CLI) inherit it.
/// </summary>
internal static class TestStateDirectory
{
    /// <summary>The folder that stands in for the machine's default state folder in this test process.</summary>
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mm-test-state-{Environment.ProcessId}-{Guid.NewGuid():N}");

#pragma warning disable CA2255 // A module initializer is exactly the point: it must run before any test or fixture.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => Environment.SetEnvironmentVariable("MAINTENANCE_STATE_DIR", Path);
}
