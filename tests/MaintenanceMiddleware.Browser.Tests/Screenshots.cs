namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>Where the tests save screenshots: <c>screenshots/</c> in the test output folder.</summary>
internal static class Screenshots
{
    public static string PathFor(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }
}
