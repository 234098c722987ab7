namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>Polls a condition with a short interval until it holds or a deadline passes (no fixed long sleeps).</summary>
internal static class Eventually
{
    public static Task<T> UntilAsync<T>(Func<T> read, Func<T, bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(read()), condition, what, timeout);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var value = await read();
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(20);
            value = await read();
        }

        return value;
    }

    public static async Task<System.Net.HttpStatusCode> StatusOfAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
