namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>The real servers ./test.sh starts. Tests fail, never skip, when one is not configured.</summary>
internal static class TestServers
{
    public static string PostgreSql => Required("MM_TEST_POSTGRES", "a connection string to a PostgreSQL server with a superuser, e.g. Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres");

    public static string Redis => Required("MM_TEST_REDIS", "the address of a redis-server, e.g. 127.0.0.1:56379");

    private static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Environment variable {variable} is not set: it must hold {what}. Run ./test.sh, which starts throwaway servers and sets it.");
}
