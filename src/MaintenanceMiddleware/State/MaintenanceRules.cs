using System.Buffers;
using System.Globalization;

namespace MaintenanceMiddleware;

/// <summary>
/// Every rule a maintenance change is checked against, defined once: application names, reasons, the window limit,
/// mode names, audit limits and versions. The service, the endpoints, the CLI and start-up validation call these and
/// only translate the input and map the error to their own field (<c>reason</c>) or option (<c>--reason</c>).
/// It lives in <c>State/</c> because the state itself is what these rules describe, so State and Access never reach
/// up into Control for them.
/// </summary>
internal static class MaintenanceRules
{
    /// <summary>The longest reason accepted, in characters.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The longest application name accepted, in characters.</summary>
    public const int MaxApplicationLength = 64;

    /// <summary>The largest window in days (end minus now; start minus now), so that a typo like <c>--for 9999d</c> is caught.</summary>
    public const int MaxWindowDays = 366;

    /// <summary>The fewest and most audit entries one read returns, and the default.</summary>
    public const int MinAuditLimit = 1;

    /// <inheritdoc cref="MinAuditLimit"/>
    public const int MaxAuditLimit = 10_000;

    /// <inheritdoc cref="MinAuditLimit"/>
    public const int DefaultAuditLimit = 100;

    /// <summary>The mode names, as they are written in JSON and configuration.</summary>
    public const string ModeNames = "'Full' or 'ReadOnly'";

    /// <summary>The largest window (<see cref="MaxWindowDays"/>): of a maintenance window, and of <c>Retry-After</c>.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(MaxWindowDays);

    private static readonly SearchValues<char> s_applicationChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>
    /// Whether <paramref name="application"/> is a usable application name: 1–64 letters, digits, '-', '_' or '.',
    /// not starting with '.', or exactly <see cref="MaintenanceState.AllApplications"/> when <paramref name="allowAll"/>.
    /// Names are used as folder names under the pages root, so path characters are refused.
    /// </summary>
    public static bool TryValidateApplication(string? application, bool allowAll, out string error)
    {
        if (string.IsNullOrWhiteSpace(application))
        {
            error = "The application name is required.";
            return false;
        }

        if (application == MaintenanceState.AllApplications)
        {
            error = allowAll ? string.Empty : "'*' (all applications) is not allowed here.";
            return allowAll;
        }

        if (application.Length > MaxApplicationLength
            || application[0] == '.'
            || application.AsSpan().ContainsAnyExcept(s_applicationChars))
        {
            error = $"The application name '{MaintenanceText.Sanitize(application)}' is invalid: use 1-{MaxApplicationLength} letters, digits, '-', '_' or '.', not starting with '.'.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="reason"/> is present, at most <see cref="MaxReasonLength"/> characters, and free of
    /// control, format and line/paragraph-separator characters (<see cref="MaintenanceText.IsRefused"/>).
    /// </summary>
    public static bool TryValidateReason(string? reason, out string error)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            error = "A reason is required.";
            return false;
        }

        return TryValidateLine(reason, "reason", out error);
    }

    /// <summary>
    /// Whether <paramref name="message"/> (the public message, optional) is absent, or at most <see cref="MaxReasonLength"/>
    /// characters of one line of plain text: the reason's rules, except that it may be left out. A message of only
    /// white space is refused, so a visitor never sees an empty sentence.
    /// </summary>
    public static bool TryValidateMessage(string? message, out string error)
    {
        if (message is null)
        {
            error = string.Empty;
            return true;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            error = "The message is empty; leave it out to show the default text.";
            return false;
        }

        return TryValidateLine(message, "message", out error);
    }

    // The reason's and the message's shared limits: at most MaxReasonLength characters of one line of plain text.
    private static bool TryValidateLine(string text, string what, out string error)
    {
        if (text.Length > MaxReasonLength)
        {
            error = $"The {what} is {text.Length} characters long; at most {MaxReasonLength} are allowed.";
            return false;
        }

        if (MaintenanceText.IndexOfRefused(text) is var at and >= 0)
        {
            error = $"The {what} contains {MaintenanceText.Describe(text[at])} (U+{(int)text[at]:X4}); use plain text on one line.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>The longest bypass link name accepted, in characters.</summary>
    public const int MaxBypassNameLength = 100;

    /// <summary>Whether <paramref name="name"/> (who a bypass link is for) is present, at most <see cref="MaxBypassNameLength"/> characters of one line of plain text.</summary>
    public static bool TryValidateBypassName(string? name, out string error)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            error = "A name is required: who the link is for, such as 'QA Anna'.";
            return false;
        }

        if (name.Length > MaxBypassNameLength)
        {
            error = $"The name is {name.Length} characters long; at most {MaxBypassNameLength} are allowed.";
            return false;
        }

        if (MaintenanceText.IndexOfRefused(name) is var at and >= 0)
        {
            error = $"The name contains {MaintenanceText.Describe(name[at])} (U+{(int)name[at]:X4}); use plain text on one line.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Parses a mode name (<see cref="ModeNames"/>, any case); numbers and flag combinations are refused.</summary>
    public static bool TryParseMode(string? text, out MaintenanceMode mode, out string error)
    {
        mode = MaintenanceMode.Full;
        if (text is null
            || int.TryParse(text, CultureInfo.InvariantCulture, out _)
            || text.Contains(',', StringComparison.Ordinal)
            || !Enum.TryParse(text, ignoreCase: true, out mode)
            || !Enum.IsDefined(mode))
        {
            mode = MaintenanceMode.Full;
            error = $"The mode must be {ModeNames}.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Whether <paramref name="mode"/> is a defined mode.</summary>
    public static bool TryValidateMode(MaintenanceMode mode, out string error)
    {
        error = Enum.IsDefined(mode) ? string.Empty : $"The mode '{mode}' is unknown; use {ModeNames}.";
        return error.Length == 0;
    }

    /// <summary>Whether <paramref name="limit"/> is between <see cref="MinAuditLimit"/> and <see cref="MaxAuditLimit"/>.</summary>
    public static bool TryValidateAuditLimit(long limit, out string error)
    {
        error = limit is >= MinAuditLimit and <= MaxAuditLimit ? string.Empty : AuditLimitError(limit.ToString(CultureInfo.InvariantCulture));
        return error.Length == 0;
    }

    /// <summary>Parses an audit limit written as text (a query string); the same range as <see cref="TryValidateAuditLimit"/>.</summary>
    public static bool TryParseAuditLimit(string text, out int limit, out string error)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            error = AuditLimitError(MaintenanceText.Sanitize(text));
            return false;
        }

        return TryValidateAuditLimit(limit, out error);
    }

    /// <summary>The longest a switch may wait for its instances to confirm (<c>--wait</c>, <c>wait</c>).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    /// <summary>The wait when <c>--wait</c> is given without a value.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where a duration is typed by hand (the CLI's <c>--for</c> and <c>--wait</c>, the body's <c>wait</c>), a bare number
    /// is refused: is 15 minutes or seconds? Returns <see langword="false"/> with the message for a bare number.
    /// </summary>
    public static bool TryRequireUnit(string text, out string error)
    {
        var bare = text.Trim();
        error = bare.Length > 0 && bare.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            ? $"'{bare}' has no unit; write {bare}m (minutes), {bare}h or {bare}s."
            : string.Empty;
        return error.Length == 0;
    }

    /// <summary>A wait for instances to confirm is positive and at most <see cref="MaxWait"/>.</summary>
    public static bool TryValidateWait(TimeSpan wait, out string error)
    {
        error = wait <= TimeSpan.Zero
            ? $"The wait must be positive (it was {wait}); leave it out to return without waiting."
            : wait > MaxWait ? $"The wait must be at most {MaxWait.TotalMinutes:0} minutes (it was {wait})." : string.Empty;
        return error.Length == 0;
    }

    /// <summary>Whether <paramref name="expectedVersion"/> is absent or a version that can exist (0 is "never switched").</summary>
    public static bool TryValidateExpectedVersion(long? expectedVersion, out string error)
    {
        error = expectedVersion is null or >= 0 ? string.Empty : $"The expected version must be 0 or more (got {expectedVersion}); versions start at 0 for a state never switched.";
        return error.Length == 0;
    }

    private static string AuditLimitError(string got) =>
        $"The limit must be a whole number between {MinAuditLimit} and {MaxAuditLimit} (got {got}).";
}
