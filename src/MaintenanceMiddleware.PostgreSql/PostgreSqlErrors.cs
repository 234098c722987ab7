using System.Text.Json;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Which exceptions mean "the database failed", and how to explain them to an operator.</summary>
internal static class PostgreSqlErrors
{
    public const string UniqueViolation = "23505";
    public const string UndefinedTable = "42P01";
    public const string InsufficientPrivilege = "42501";

    // Everything the database or the network can throw, but not the caller's own cancellation.
    public static bool IsDatabaseError(Exception ex, CancellationToken cancellationToken) =>
        ex is NpgsqlException or JsonException or InvalidOperationException or IOException or TimeoutException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static string Describe(Exception ex, string what, string schema) => ex switch
    {
        PostgresException { SqlState: UndefinedTable } =>
            $"{what}: the maintenance tables do not exist in schema '{schema}'. Run `maintenance migrate --postgres <connection string>` or set MaintenanceMode:PostgreSql:CreateSchema=true. ({ex.Message})",
        PostgresException { SqlState: InsufficientPrivilege } =>
            $"{what}: the database user lacks a privilege. Run `maintenance migrate` with a user that may create tables, then grant SELECT, INSERT, UPDATE on the tables to the application's user. ({ex.Message})",
        _ => $"{what}: {ex.Message}",
    };
}
