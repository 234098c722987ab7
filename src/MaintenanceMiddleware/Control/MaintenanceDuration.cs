using System.Globalization;

namespace MaintenanceMiddleware;

/// <summary>Reads and writes the short durations operators type: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>, or <c>00:30:00</c>.</summary>
public static class MaintenanceDuration
{
    /// <summary>
    /// Parses <paramref name="text"/>; a bare number is minutes. Returns <see langword="false"/> with a message when it
    /// is not a positive duration or is longer than the longest window (366 days), so no input can overflow.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = "A duration is required (e.g. 30m, 2h, 90s, 1h30m).";
            return false;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero)
            {
                return duration <= MaintenanceRules.MaxWindow ? Ok(out error) : TooLong(value, out duration, out error);
            }

            error = $"'{MaintenanceText.Sanitize(value)}' is not a positive duration (e.g. 00:30:00).";
            return false;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bareMinutes) && bareMinutes > 0)
        {
            if (bareMinutes > (long)MaintenanceRules.MaxWindow.TotalMinutes)
            {
                return TooLong(value, out duration, out error);
            }

            duration = TimeSpan.FromMinutes(bareMinutes);
            return Ok(out error);
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < value.Length)
        {
            var start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }

            if (i == start || i == value.Length || i - start > 6)
            {
                return Fail(value, out error);
            }

            var number = long.Parse(value.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            var part = char.ToLowerInvariant(value[i]) switch
            {
                's' => TimeSpan.FromSeconds(number),
                'm' => TimeSpan.FromMinutes(number),
                'h' => TimeSpan.FromHours(number),
                'd' => TimeSpan.FromDays(number),
                _ => (TimeSpan?)null,
            };
            if (part is null)
            {
                return Fail(value, out error);
            }

            // Each part is at most 999999 units, so adding one to a total within the window cannot overflow;
            // stopping at the window means "999999d" repeated is refused instead of crashing.
            total += part.Value;
            if (total > MaintenanceRules.MaxWindow)
            {
                return TooLong(value, out duration, out error);
            }

            i++;
        }

        if (total <= TimeSpan.Zero)
        {
            return Fail(value, out error);
        }

        duration = total;
        error = string.Empty;
        return true;
    }

    /// <summary>Formats <paramref name="duration"/> the way operators write it: <c>15m</c>, <c>1h30m</c>, <c>2d4h</c>, <c>45s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = duration.Negate();
        }

        if (duration < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Round(duration.TotalSeconds)}s");
        }

        // Round to the nearest minute: the window is what an operator reads, not a stopwatch.
        var minutes = (long)Math.Round(duration.TotalMinutes);
        var days = minutes / (24 * 60);
        var hours = minutes / 60 % 24;
        var mins = minutes % 60;
        var result = string.Empty;
        if (days > 0)
        {
            result += string.Create(CultureInfo.InvariantCulture, $"{days}d");
        }

        if (hours > 0)
        {
            result += string.Create(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (mins > 0 || result.Length == 0)
        {
            result += string.Create(CultureInfo.InvariantCulture, $"{mins}m");
        }

        return result;
    }

    private static bool Ok(out string error)
    {
        error = string.Empty;
        return true;
    }

    private static bool TooLong(string value, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = $"'{MaintenanceText.Sanitize(value)}' is longer than the longest window, {MaintenanceRules.MaxWindowDays} days.";
        return false;
    }

    private static bool Fail(string value, out string error)
    {
        error = $"'{MaintenanceText.Sanitize(value)}' is not a duration; use e.g. 90s, 30m, 2h, 1d or 1h30m.";
        return false;
    }
}
