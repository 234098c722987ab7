using System.Diagnostics;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>
/// The real PostgreSQL server the tests run against (started by ./test.sh). Tests fail, never skip, when it is not configured.
/// </summary>
internal static class PgServer
{
    // No pooling: a pooled admin connection would be dead after a restart.
    public static string AdminConnectionString => new NpgsqlConnectionStringBuilder(Required("MM_TEST_POSTGRES", "a connection string to a PostgreSQL server with a superuser, e.g. Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres")) { Pooling = false }.ConnectionString;

    /// <summary>Creates a fresh database and returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "mm_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = await OpenAdminAsync())
        {
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Stops the server (pg_ctl -m fast: every connection is cut).</summary>
    public static async Task StopAsync()
    {
        // postmaster.opts holds the command line the server was started with (port, socket directory): reuse it on start.
        s_startOptions ??= ReadStartOptions();
        await PgCtlAsync("-D", Data, "-m", "fast", "-w", "stop");
    }

    /// <summary>Starts the server again with the options it had, and waits until it accepts connections.</summary>
    public static async Task StartAsync()
    {
        s_startOptions ??= ReadStartOptions();
        await PgCtlAsync("-D", Data, "-l", Required("MM_TEST_PG_LOG", "the server log file"), "-w", "-o", s_startOptions, "start");
        await WaitUntilUpAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Makes sure the server runs (for finally blocks after a failed test).</summary>
    public static async Task EnsureRunningAsync()
    {
        try
        {
            await using var connection = await OpenAdminAsync();
        }
        catch (NpgsqlException)
        {
            await StartAsync();
        }
    }

    public static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string? s_startOptions;

    private static string Data => Required("MM_TEST_PG_DATA", "the data directory of the test cluster (pg_ctl -D)");

    private static string ReadStartOptions()
    {
        // e.g. /usr/lib/postgresql/15/bin/postgres "-D" "/tmp/x/data" "-c" "port=54329" ...
        var line = File.ReadAllText(Path.Combine(Data, "postmaster.opts")).Trim();
        var firstQuote = line.IndexOf(" \"", StringComparison.Ordinal);
        var options = firstQuote < 0 ? string.Empty : line[(firstQuote + 1)..];

        // pg_ctl passes -D itself: keep it out, or every restart would add one more.
        return options.Replace($"\"-D\" \"{Data}\"", string.Empty, StringComparison.Ordinal).Trim();
    }

    private static async Task WaitUntilUpAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = await OpenAdminAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task PgCtlAsync(params string[] args)
    {
        var pgCtl = Path.Combine(Required("MM_TEST_PG_BIN", "the PostgreSQL bin directory (holding pg_ctl)"), "pg_ctl");
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.UserName == "root")
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            info.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", pgCtl])
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info.FileName = pgCtl;
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
    }

    private static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Environment variable {variable} is not set: it must hold {what}. Run ./test.sh, which starts a throwaway PostgreSQL server and sets it.");
}
