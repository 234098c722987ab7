namespace MaintenanceMiddleware;

/// <summary>A request to change maintenance state was invalid; nothing changed. The message says what to fix.</summary>
public sealed class MaintenanceValidationException : Exception
{
    /// <summary>Creates the exception for the named request field.</summary>
    public MaintenanceValidationException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The request field at fault (for example <c>reason</c> or <c>application</c>).</summary>
    public string Field { get; }
}
