namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>The "done when": two Storefront processes on one redis-server, switched from the CLI, through an outage.</summary>
public sealed class RealProcessTests
{
    private static readonly Dictionary<string, string> s_noEnvironment = [];

    [Fact]
    public async Task Two_storefronts_switch_together_from_the_cli_keep_the_page_while_redis_is_down_and_converge_after_it_restarts()
    {
        await using var redis = await RedisProcess.StartAsync();
        var app = new Dictionary<string, string> { ["MaintenanceMode__Redis__ConnectionString"] = redis.ConnectionString };
        await using var first = await SampleProcesses.StartStorefrontAsync(app);
        await using var second = await SampleProcesses.StartStorefrontAsync(app);
        StorefrontProcess[] storefronts = [first, second];
        Assert.Equal(new[] { 200, 200 }, await StatusesAsync(storefronts));

        var enable = await SampleProcesses.RunCliAsync(s_noEnvironment, "enable", "--redis", redis.ConnectionString, "--app", "Storefront", "--new-app", "--reason", "Release 42");
        Assert.True(enable.ExitCode == 0, enable.Error);
        Assert.True(await TestHosts.WaitForAsync(async () => (await StatusesAsync(storefronts)).All(s => s == 503), TimeSpan.FromSeconds(5)), "not both Storefronts answered 503");

        // The variable works as the option does.
        var status = await SampleProcesses.RunCliAsync(new Dictionary<string, string> { ["MAINTENANCE_REDIS"] = redis.ConnectionString }, "status", "--app", "Storefront");
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("Release 42", status.Output, StringComparison.Ordinal);

        await redis.StopAsync();
        Assert.True(await TestHosts.WaitForAsync(async () => (await first.GetHealthAsync()).Contains("Degraded", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), "health never said Degraded");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(new[] { 503, 503 }, await StatusesAsync(storefronts));
            await Task.Delay(100);
        }

        var refused = await SampleProcesses.RunCliAsync(s_noEnvironment, "disable", "--redis", redis.ConnectionString, "--app", "Storefront", "--reason", "too early");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Redis", refused.Error, StringComparison.Ordinal);

        await redis.StartAsync();
        var disable = await SampleProcesses.RunCliAsync(s_noEnvironment, "disable", "--redis", redis.ConnectionString, "--app", "Storefront", "--reason", "Release 42 done");
        Assert.True(disable.ExitCode == 0, disable.Error);
        Assert.True(await TestHosts.WaitForAsync(async () => (await StatusesAsync(storefronts)).All(s => s == 200), TimeSpan.FromSeconds(15)), "the Storefronts did not converge after the restart");
        Assert.True(await TestHosts.WaitForAsync(async () => !(await second.GetHealthAsync()).Contains("Degraded", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));

        var log = await SampleProcesses.RunCliAsync(s_noEnvironment, "log", "--redis", redis.ConnectionString, "--app", "Storefront");
        Assert.True(log.ExitCode == 0, log.Error);
        Assert.Contains("Release 42 done", log.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("too early", log.Output, StringComparison.Ordinal);
    }

    private static async Task<int[]> StatusesAsync(StorefrontProcess[] storefronts) =>
        await Task.WhenAll(storefronts.Select(s => s.GetStatusAsync()));
}
