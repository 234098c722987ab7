using System.Collections.Concurrent;
using System.Diagnostics;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>
/// The commands (and physical connects) Npgsql runs for one Application Name, read from its activity source: each
/// activity carries its data source, whose connection string holds the name; other connections are ignored.
/// </summary>
internal sealed class CommandLog : IDisposable
{
    private readonly ConcurrentQueue<string> _statements = new();
    private readonly ActivityListener _listener;

    public CommandLog(string applicationName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.npgsql.data_source") is string source && source.Contains(applicationName, StringComparison.Ordinal))
                {
                    _statements.Enqueue(activity.GetTagItem("db.query.text") as string ?? activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => _statements.Count;

    public IReadOnlyList<string> Statements => [.. _statements];

    public void Dispose() => _listener.Dispose();
}
