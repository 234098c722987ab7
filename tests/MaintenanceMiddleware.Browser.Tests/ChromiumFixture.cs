using Microsoft.Playwright;

namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>
/// One headless Chromium for the test run: the system's Chromium named by <c>MM_TEST_CHROMIUM</c>
/// (Debian: <c>/usr/bin/chromium</c>; <c>./test.sh</c> installs it and sets the variable). No browser is ever
/// downloaded. Without the variable every browser test fails with a message that says what to do.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string Variable = "MM_TEST_CHROMIUM";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium did not start.");

    public async Task InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set. Browser tests need a Chromium executable: install it (apt-get install -y chromium) and set {Variable}=/usr/bin/chromium, or run ./test.sh, which does both.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{Variable}='{path}' does not exist. Point it at a Chromium executable such as /usr/bin/chromium.");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            throw new InvalidOperationException($"{Variable}='{path}' is not executable.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"],
            Timeout = 30_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
