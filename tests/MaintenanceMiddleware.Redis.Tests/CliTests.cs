namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>The <c>maintenance</c> tool's Redis target as a real process: same verbs, same exit codes, clear usage errors.</summary>
public sealed class CliTests
{
    private static readonly Dictionary<string, string> s_noEnvironment = [];

    private readonly string _prefix = RedisServer.UniquePrefix();

    [Fact]
    public async Task Enable_status_log_disable_over_redis_under_a_key_prefix()
    {
        var enable = await SampleProcesses.RunCliAsync(s_noEnvironment, "enable", "--redis", RedisServer.ConnectionString, "--redis-prefix", _prefix, "--app", "Storefront", "--new-app", "--reason", "Release 42", "--for", "15m");
        Assert.True(enable.ExitCode == 0, enable.Error);
        Assert.Contains("Reason: Release 42", enable.Output, StringComparison.Ordinal);

        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        Assert.True(Assert.Single(await store.GetStatesAsync()).Enabled);

        var status = await SampleProcesses.RunCliAsync(new Dictionary<string, string> { ["MAINTENANCE_REDIS"] = RedisServer.ConnectionString }, "status", "--redis-prefix", _prefix, "--app", "Storefront", "--json");
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("Release 42", status.Output, StringComparison.Ordinal);

        var disable = await SampleProcesses.RunCliAsync(s_noEnvironment, "disable", "--redis", RedisServer.ConnectionString, "--redis-prefix", _prefix, "--app", "Storefront", "--reason", "done");
        Assert.True(disable.ExitCode == 0, disable.Error);
        var log = await SampleProcesses.RunCliAsync(s_noEnvironment, "log", "--redis", RedisServer.ConnectionString, "--redis-prefix", _prefix, "--app", "Storefront");
        Assert.True(log.ExitCode == 0, log.Error);
        Assert.True(log.Output.IndexOf("done", StringComparison.Ordinal) < log.Output.IndexOf("Release 42", StringComparison.Ordinal), log.Output);
    }

    [Theory]
    [InlineData("127.0.0.1:notaport,password=hunter2", "--redis")]
    [InlineData("127.0.0.1:6379,password=hunter2,frobnicate=1", "--redis")]
    public async Task A_malformed_connection_string_is_bad_usage_naming_the_option_and_not_the_password(string connectionString, string option)
    {
        var result = await SampleProcesses.RunCliAsync(s_noEnvironment, "status", "--redis", connectionString, "--app", "Storefront");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_key_prefix_is_bad_usage()
    {
        var result = await SampleProcesses.RunCliAsync(s_noEnvironment, "status", "--redis", RedisServer.ConnectionString, "--redis-prefix", "two words", "--app", "Storefront");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--redis-prefix", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_targets_at_once_are_bad_usage()
    {
        var result = await SampleProcesses.RunCliAsync(s_noEnvironment, "status", "--redis", RedisServer.ConnectionString, "--postgres", "Host=x", "--app", "Storefront");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--redis", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_exit_1_and_writes_nothing()
    {
        await using var server = await RedisProcess.StartAsync();
        await server.StopAsync();
        var result = await SampleProcesses.RunCliAsync(s_noEnvironment, "enable", "--redis", $"{server.ConnectionString},password=hunter2", "--app", "Storefront", "--reason", "Release 42");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: The state store failed", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }
}
