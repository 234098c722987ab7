namespace MaintenanceMiddleware.Cli;

/// <summary>The exit codes of the <c>maintenance</c> command, as pipelines read them.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Failed: the store or the app was unreachable, someone else changed the state first, or the server refused.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage: a missing or invalid option or value; nothing changed.</summary>
    public const int Usage = 2;

    /// <summary><c>disable</c> switched the entry off, but the application is still in maintenance through another entry or configuration.</summary>
    public const int StillInMaintenance = 3;

    /// <summary>
    /// <c>enable/disable --wait</c>: the change is stored, but not every instance confirmed it within the wait (each one
    /// that did not is named, with why: not applied, still draining, or gone).
    /// </summary>
    public const int NotConfirmed = 4;
}
