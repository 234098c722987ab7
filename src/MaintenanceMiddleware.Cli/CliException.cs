namespace MaintenanceMiddleware.Cli;

/// <summary>A failure the CLI reports with a message and an exit code (<see cref="ExitCodes"/>).</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException Failed(string message, Exception? innerException = null) => new(ExitCodes.Failed, message, innerException);
}
