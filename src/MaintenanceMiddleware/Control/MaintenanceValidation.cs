using System.Buffers;

namespace MaintenanceMiddleware;

/// <summary>The rules every change and every option is checked against, shared by the service, the endpoints and the CLI.</summary>
public static class MaintenanceValidation
{
    /// <summary>The longest reason accepted, in characters.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The longest application name accepted, in characters.</summary>
    public const int MaxApplicationLength = 64;

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
            error = $"The application name '{Sanitize(application)}' is invalid: use 1-{MaxApplicationLength} letters, digits, '-', '_' or '.', not starting with '.'.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Whether <paramref name="reason"/> is present, at most <see cref="MaxReasonLength"/> characters and free of control characters.</summary>
    public static bool TryValidateReason(string? reason, out string error)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            error = "A reason is required.";
            return false;
        }

        if (reason.Length > MaxReasonLength)
        {
            error = $"The reason is {reason.Length} characters long; at most {MaxReasonLength} are allowed.";
            return false;
        }

        foreach (var c in reason)
        {
            if (char.IsControl(c))
            {
                error = $"The reason contains a control character (U+{(int)c:X4}); use plain text on one line.";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Shortens and strips control characters from user input before it is echoed in an error message.</summary>
    internal static string Sanitize(string value)
    {
        var shortened = value.Length > 80 ? value[..80] + "..." : value;
        return string.Create(shortened.Length, shortened, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }
}
