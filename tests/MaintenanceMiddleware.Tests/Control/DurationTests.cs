using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Control;

public class DurationTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1h30m", 5400)]
    [InlineData("15", 900)]
    [InlineData("00:15:00", 900)]
    [InlineData(" 2H ", 7200)]
    public void Operator_durations_parse(string text, int seconds)
    {
        Assert.True(MaintenanceDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0m")]
    [InlineData("-5m")]
    [InlineData("5x")]
    [InlineData("m")]
    [InlineData("1h30")]
    [InlineData("00:00:00")]
    [InlineData("9999999999h")]
    public void Bad_durations_are_refused_with_a_message(string text)
    {
        Assert.False(MaintenanceDuration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(10_000)]
    public void Many_large_parts_are_refused_as_longer_than_the_window_never_an_overflow(int parts)
    {
        var text = string.Concat(Enumerable.Repeat("999999d", parts));

        Assert.False(MaintenanceDuration.TryParse(text, out var duration, out var error));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.Contains("longer than the longest window, 366 days", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("366d")]
    [InlineData("527040")]
    [InlineData("366.00:00:00")]
    public void The_longest_window_is_accepted(string text)
    {
        Assert.True(MaintenanceDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromDays(366), duration);
    }

    [Theory]
    [InlineData("366d1m")]
    [InlineData("527041")]
    [InlineData("10675199.02:48:05")]
    public void Just_past_the_longest_window_is_refused(string text)
    {
        Assert.False(MaintenanceDuration.TryParse(text, out _, out var error));
        Assert.Contains("366 days", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(900, "15m")]
    [InlineData(5400, "1h30m")]
    [InlineData(2 * 86400 + 4 * 3600, "2d4h")]
    [InlineData(899.6, "15m")]
    public void Durations_format_as_operators_write_them(double seconds, string expected) =>
        Assert.Equal(expected, MaintenanceDuration.Format(TimeSpan.FromSeconds(seconds)));
}
