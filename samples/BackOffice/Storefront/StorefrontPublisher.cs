using BackOffice.Sync;
using MaintenanceMiddleware;

namespace BackOffice.Storefront;

/// <summary>
/// Publishes the catalogue to the Storefront through the gated client and keeps the dashboard's counts. While the
/// Storefront is in maintenance nothing is sent (the gate throws before sending); a publication in flight when it
/// begins is cancelled; <see cref="StorefrontResync"/> publishes in full once when it ends.
/// </summary>
public sealed class StorefrontPublisher(IHttpClientFactory clients, CatalogueStore catalogue, TimeProvider time, ILogger<StorefrontPublisher> logger)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _since;
    private DateTimeOffset? _expectedEnd;
    private string? _message;
    private int _published;
    private int _fullResyncs;
    private int _skipped;
    private int _aborted;
    private string? _lastError;
    private int _sequence;

    /// <summary>Publishes the whole catalogue. Throws <see cref="ApplicationInMaintenanceException"/> when the Storefront is in maintenance (counted as skipped).</summary>
    public async Task PublishAsync(bool full, CancellationToken cancellationToken)
    {
        var id = $"pub-{Interlocked.Increment(ref _sequence)}";
        var client = new StorefrontClient(clients.CreateClient(StorefrontClient.Name));
        var items = catalogue.Items;
        try
        {
            await client.PublishAsync(new StorefrontPublication(id, full, items), cancellationToken);
        }
        catch (ApplicationInMaintenanceException ex)
        {
            lock (_lock)
            {
                _skipped++;
                _aborted += ex.WasInFlight ? 1 : 0;
                _since ??= time.GetUtcNow();
                _expectedEnd = ex.EndsAt;
                _message = ex.PublicMessage;
            }

            throw;
        }
        catch (HttpRequestException ex)
        {
            lock (_lock)
            {
                _lastError = ex.Message;
            }

            throw;
        }

        lock (_lock)
        {
            _published++;
            _fullResyncs += full ? 1 : 0;
            _lastError = null;
        }

        PublishingLog.Published(logger, id, full, items.Count);
    }

    /// <summary>An operator's publication was refused (409) because the Storefront is in maintenance.</summary>
    public void Refused()
    {
        lock (_lock)
        {
            _skipped++;
        }
    }

    /// <summary>The Storefront went into maintenance: publishing pauses.</summary>
    public void Paused(MaintenanceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            _since = state.StartsAt ?? state.ChangedAt ?? time.GetUtcNow();
            _expectedEnd = state.EndsAt;
            _message = state.Message;
        }
    }

    /// <summary>The Storefront is back: publishing resumes.</summary>
    public void Resumed()
    {
        lock (_lock)
        {
            _since = null;
            _expectedEnd = null;
            _message = null;
        }
    }

    /// <summary>The counts so far.</summary>
    public PublishingStatus Status()
    {
        lock (_lock)
        {
            return new PublishingStatus(_since, _expectedEnd, _message, _published, _fullResyncs, _skipped, _aborted, _lastError);
        }
    }
}
