namespace MaintenanceMiddleware;

/// <summary>
/// Thrown by an HTTP client gated with <c>AddMaintenanceGate("Storefront")</c> when the application it calls is in
/// maintenance: the request was not sent (<see cref="WasInFlight"/> is <see langword="false"/>), or it was in flight when
/// maintenance began and was cancelled. Carries only what the application tells its visitors (the public message),
/// never the operator's internal reason.
/// </summary>
public sealed class ApplicationInMaintenanceException : HttpRequestException
{
    /// <summary>Creates the exception for <paramref name="application"/>.</summary>
    /// <param name="application">The application in maintenance.</param>
    /// <param name="publicMessage">What the application tells its visitors.</param>
    /// <param name="endsAt">When maintenance is expected to end; <see langword="null"/> when not known.</param>
    /// <param name="wasInFlight">Whether the call was in flight and cancelled (rather than never sent).</param>
    /// <param name="innerException">The cancellation of the call in flight, if any.</param>
    public ApplicationInMaintenanceException(string application, string publicMessage, DateTimeOffset? endsAt, bool wasInFlight, Exception? innerException = null)
        : base(Describe(application, publicMessage, endsAt, wasInFlight), innerException)
    {
        Application = application;
        PublicMessage = publicMessage;
        EndsAt = endsAt;
        WasInFlight = wasInFlight;
    }

    /// <summary>The application in maintenance.</summary>
    public string Application { get; }

    /// <summary>What the application tells its visitors (its public message, or a neutral text); never the internal reason.</summary>
    public string PublicMessage { get; }

    /// <summary>When maintenance is expected to end; <see langword="null"/> when not known.</summary>
    public DateTimeOffset? EndsAt { get; }

    /// <summary>Whether the call was in flight when maintenance began and was cancelled; <see langword="false"/> when nothing was sent.</summary>
    public bool WasInFlight { get; }

    private static string Describe(string application, string publicMessage, DateTimeOffset? endsAt, bool wasInFlight) =>
        $"{application} is in maintenance{(endsAt is { } end ? $" until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : string.Empty)}: " +
        $"{publicMessage} {(wasInFlight ? "The call in flight was cancelled." : "Nothing was sent.")}";
}
