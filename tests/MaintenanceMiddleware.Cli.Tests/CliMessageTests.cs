using MaintenanceMiddleware;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary><c>--message</c> (issue 10, part 2): the public message, beside the internal <c>--reason</c>.</summary>
public class CliMessageTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly InMemoryMaintenanceStateStore _store = new();
    private readonly CliRunner _cli;

    public CliMessageTests() => _cli = new CliRunner(_time, _store);

    [Theory]
    [InlineData("--message")]
    [InlineData("-m")]
    public async Task Enable_with_message_stores_it_and_status_and_log_show_it(string option)
    {
        var result = await _cli.RunAsync("enable", "--file", "s.json", "--app", "Storefront", "--new-app", "--reason", "CVE patch", option, "Back at 14:00.", "--for", "15m");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Maintenance enabled for Storefront until 2026-11-25 14:00 UTC (15m). Reason: CVE patch. Visitors see: Back at 14:00. Version 1.", result.Output.Trim());
        Assert.Equal("Back at 14:00.", Assert.Single(await _store.GetStatesAsync()).Message);

        var status = await _cli.RunAsync("status", "--file", "s.json", "--app", "Storefront");
        Assert.Equal("Storefront: IN MAINTENANCE until 2026-11-25 14:00 UTC (15m left). Reason: CVE patch. Visitors see: Back at 14:00.", status.Output.Trim()[..status.Output.Trim().IndexOf(" Last changed", StringComparison.Ordinal)]);

        var log = await _cli.RunAsync("log", "--file", "s.json");
        Assert.EndsWith("Reason: CVE patch  Message: Back at 14:00.", log.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enable_without_message_prints_no_visitor_sentence()
    {
        var result = await _cli.RunAsync("enable", "--file", "s.json", "--all", "--reason", "Release 42");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("Visitors see", result.Output, StringComparison.Ordinal);
        Assert.Null(Assert.Single(await _store.GetStatesAsync()).Message);
    }

    [Fact]
    public async Task Bad_message_exits_2_naming_the_option()
    {
        var result = await _cli.RunAsync("enable", "--file", "s.json", "--all", "--reason", "r", "--message", new string('x', 501));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --message: The message is 501 characters long; at most 500 are allowed. Nothing changed.", result.Error.Trim());
        Assert.Empty(await _store.GetAuditTrailAsync());
    }
}
