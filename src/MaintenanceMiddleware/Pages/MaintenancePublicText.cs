namespace MaintenanceMiddleware;

/// <summary>
/// What the public is told: the window's public message, else <c>MaintenanceMode:DefaultMessage</c>, else nothing (the
/// page's own text, or the neutral built-in sentence). The internal reason is never shown to visitors or API clients.
/// </summary>
internal static class MaintenancePublicText
{
    /// <summary>The neutral sentence used where a text is required (problem+json <c>detail</c>) and no message is set.</summary>
    public const string Neutral = "The service is down for maintenance.";

    /// <summary>The message visitors see, or <see langword="null"/> when neither the window nor configuration sets one.</summary>
    public static string? For(MaintenanceState state, string? defaultMessage) =>
        Clean(state.Message) ?? Clean(defaultMessage);

    private static string? Clean(string? message) =>
        string.IsNullOrWhiteSpace(message) ? null
        : message.Length > MaintenanceRules.MaxReasonLength ? message[..MaintenanceRules.MaxReasonLength] : message;
}
