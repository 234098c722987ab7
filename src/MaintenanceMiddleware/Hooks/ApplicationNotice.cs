namespace MaintenanceMiddleware;

/// <summary>What may be said about another application's maintenance: its public message and expected end, never its reason.</summary>
internal static class ApplicationNotice
{
    /// <summary>The public message of <paramref name="state"/>, or a neutral text naming <paramref name="application"/>.</summary>
    public static string PublicMessage(string application, MaintenanceState? state) =>
        state?.Message is { Length: > 0 } message ? message : $"{application} is under maintenance.";

    /// <summary>The exception a gated client throws for <paramref name="application"/>.</summary>
    public static ApplicationInMaintenanceException Exception(string application, MaintenanceModeGate gate, bool wasInFlight, Exception? inner = null)
    {
        var state = gate.Current?.Effective;
        return new ApplicationInMaintenanceException(application, PublicMessage(application, state), state?.EndsAt, wasInFlight, inner);
    }
}
