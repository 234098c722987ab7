using MaintenanceMiddleware;

namespace BackOffice.Storefront;

/// <summary>
/// Told when the Storefront begins and ends maintenance (registered with
/// <c>AddMaintenanceModeObserver&lt;StorefrontResync&gt;("Storefront")</c>): pauses the dashboard's publishing, and when
/// the Storefront is back publishes the catalogue in full once, so it gets everything skipped meanwhile. The
/// publication runs off the hooks queue and retries a few times while the Storefront finishes starting.
/// </summary>
public sealed class StorefrontResync(StorefrontPublisher publisher, IHostApplicationLifetime lifetime, ILogger<StorefrontResync> logger) : IMaintenanceModeObserver
{
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);
    private const int Attempts = 5;

    /// <summary>The last full resynchronisation started (for tests and shutdown).</summary>
    public Task Last { get; private set; } = Task.CompletedTask;

    public Task OnMaintenanceStartedAsync(MaintenanceState state, CancellationToken cancellationToken)
    {
        publisher.Paused(state);
        return Task.CompletedTask;
    }

    public Task OnMaintenanceEndedAsync(MaintenanceState state, CancellationToken cancellationToken)
    {
        publisher.Resumed();
        Last = Task.Run(() => ResyncAsync(lifetime.ApplicationStopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ResyncAsync(CancellationToken stopping)
    {
        for (var attempt = 1; attempt <= Attempts && !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await publisher.PublishAsync(full: true, stopping);
                return;
            }
            catch (ApplicationInMaintenanceException)
            {
                return; // back in maintenance already: the next end resynchronises
            }
            catch (HttpRequestException ex) when (attempt < Attempts)
            {
                PublishingLog.ResyncRetry(logger, attempt, ex);
                await Task.Delay(s_retryDelay, stopping);
            }
            catch (HttpRequestException ex)
            {
                PublishingLog.ResyncFailed(logger, Attempts, ex);
            }
        }
    }
}
