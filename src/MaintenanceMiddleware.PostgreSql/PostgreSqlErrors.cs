using System.Net.Sockets;
using System.Text.Json;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Which exceptions mean "the database failed", and how to explain them to an operator (never with a secret).</summary>
internal static class PostgreSqlErrors
{
    public const string UniqueViolation = "23505";
    public const string UndefinedTable = "42P01";
    public const string InsufficientPrivilege = "42501";

    // Everything the database or the network can throw, but not the caller's own cancellation.
    public static bool IsDatabaseError(Exception ex, CancellationToken cancellationToken) =>
        ex is NpgsqlException or JsonException or InvalidOperationException or IOException or TimeoutException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>
    /// "<paramref name="what"/>: why", where why names the server (<paramref name="endpoint"/>, host:port) when it could
    /// not be reached, and says what to do when the tables are missing or a privilege is.
    /// </summary>
    public static string Describe(Exception ex, string what, string schema, string endpoint) => ex switch
    {
        PostgresException { SqlState: UndefinedTable } =>
            $"{what}: the maintenance tables do not exist in schema '{schema}'. Run `maintenance migrate --postgres <connection string>` or set MaintenanceMode:PostgreSql:CreateSchema=true.",
        PostgresException { SqlState: InsufficientPrivilege } p =>
            $"{what}: the database user lacks a privilege ({p.MessageText}). Run `maintenance migrate` with a user that may create tables, then grant SELECT, INSERT, UPDATE on the tables to the application's user.",
        PostgresException { SqlState: ['0', '8', ..] or ['5', '7', 'P', ..] } p =>
            $"{what}: the PostgreSQL server at {endpoint} is not accepting connections ({p.MessageText}).",
        PostgresException p => $"{what}: {p.MessageText} (SQLSTATE {p.SqlState}).",
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } n =>
            $"{what}: the PostgreSQL server at {endpoint} could not be reached ({n.InnerException!.Message.TrimEnd('.')}).",
        NpgsqlException or TimeoutException or IOException or OperationCanceledException =>
            $"{what}: the connection to the PostgreSQL server at {endpoint} failed ({ex.Message.TrimEnd('.')}).",
        _ => $"{what}: {ex.Message}",
    };
}
