using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>
/// The real redis-server the tests run against (started by ./test.sh, MM_TEST_REDIS), and private ones for tests that
/// stop, restart or reconfigure a server (from the binary in MM_TEST_REDIS_SERVER). Tests fail, never skip, without them.
/// </summary>
internal static class RedisServer
{
    /// <summary>The shared server's connection string.</summary>
    public static string ConnectionString => Required("MM_TEST_REDIS", "the address of a redis-server for the tests, e.g. 127.0.0.1:56379");

    /// <summary>The redis-server binary, for private servers.</summary>
    public static string Binary => Required("MM_TEST_REDIS_SERVER", "the path of the redis-server binary, e.g. /usr/bin/redis-server");

    /// <summary>A key prefix no other test uses, so tests share the server without seeing each other's keys.</summary>
    public static string UniquePrefix() => "mmtest:" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>An admin connection to the shared server (no backlog, fails fast).</summary>
    public static Task<ConnectionMultiplexer> ConnectAdminAsync(string? connectionString = null)
    {
        var options = ConfigurationOptions.Parse(connectionString ?? ConnectionString);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    private static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Environment variable {variable} is not set: it must hold {what}. Run ./test.sh, which installs redis-server, starts a throwaway one and sets it.");
}

/// <summary>A redis-server of one test's own, on a free loopback port, in a temporary directory; AOF with fsync always, so a kill loses nothing.</summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mm-redis-test.").FullName;
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisProcess(int port, string[] extraArguments)
    {
        Port = port;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisProcess> StartAsync(params string[] extraArguments)
    {
        var server = new RedisProcess(FreePort(), extraArguments);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(RedisServer.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", _directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always", .. _extraArguments])
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the server (SIGKILL: every connection is cut, as in a crash).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
