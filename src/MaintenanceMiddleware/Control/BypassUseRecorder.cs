using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Records the first opening of each bypass link in the audit trail, off the request path: the middleware hands the
/// link over (deduplicated in memory, so once per link per instance) and a background loop writes it through the
/// service. A request never waits for the store; when the queue is full or the write fails, the next opening tries again.
/// </summary>
internal sealed class BypassUseRecorder(IServiceProvider services, ILogger<BypassUseRecorder> logger) : BackgroundService
{
    private readonly Channel<(string Id, string Source)> _queue = Channel.CreateBounded<(string, string)>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    /// <summary>Queues the first use of <paramref name="link"/> from <paramref name="source"/> (the client IP), unless recorded or queued already.</summary>
    public void Opened(MaintenanceBypassLink link, string source)
    {
        if (link.FirstUsedAt is null && _seen.TryAdd(link.Id, true) && !_queue.Writer.TryWrite((link.Id, source)))
        {
            _seen.TryRemove(link.Id, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (id, source) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (services.GetRequiredService<IMaintenanceModeService>() is MaintenanceModeService service)
                {
                    await service.RecordBypassUseAsync(id, source, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is MaintenanceStoreException or MaintenanceConflictException or MaintenanceValidationException)
            {
                MaintenanceLog.BypassUseNotRecorded(logger, id, ex);
                _seen.TryRemove(id, out _);
            }
        }
    }
}
