namespace MaintenanceMiddleware;

/// <summary>The one rule for API-key names, checked at start-up and by <c>maintenance hash-key --name</c>.</summary>
internal static class MaintenanceApiKeyNames
{
    /// <summary>The longest key name accepted, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Whether <paramref name="name"/> is a usable key name: 1–64 characters, no white space, no ':' (it separates
    /// configuration keys, so such a name could never be bound) and none of the characters text refuses. The name is
    /// what the audit trail records.
    /// </summary>
    public static bool TryValidate(string? name, out string error)
    {
        if (string.IsNullOrEmpty(name)
            || name.Length > MaxLength
            || name.AsSpan().ContainsAny(':', ' ')
            || name.Any(char.IsWhiteSpace)
            || MaintenanceText.IndexOfRefused(name) >= 0)
        {
            error = $"the key name must be 1-{MaxLength} characters without white space, ':' or control characters.";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
