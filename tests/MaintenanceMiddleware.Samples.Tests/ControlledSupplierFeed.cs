extern alias BackOfficeApp;

using System.Collections.Concurrent;
using BackOfficeApp::BackOffice.Sync;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// A supplier feed the test drives: while <see cref="Hold"/> is set, every call waits (a sync "in flight")
/// until released or cancelled; it records which pages were read and how many calls were cancelled.
/// </summary>
internal sealed class ControlledSupplierFeed : ISupplierFeed
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cancelled;
    private int _waiting;

    public int PageCount => 3;

    /// <summary>While true, calls wait for <see cref="Release"/> (or cancellation).</summary>
    public bool Hold { get; set; } = true;

    public ConcurrentQueue<int> PagesRead { get; } = new();

    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>How many calls are waiting right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Release()
    {
        lock (_lock)
        {
            Hold = false;
            _release.TrySetResult();
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task<IReadOnlyList<CatalogueItem>> FetchPageAsync(int page, CancellationToken cancellationToken)
    {
        await WaitIfHeldAsync(cancellationToken);
        PagesRead.Enqueue(page);
        return [new CatalogueItem($"T-{page}", $"Test item {page}", 1m, 1)];
    }

    public async Task<IReadOnlyList<CatalogueItem>> FetchChangesAsync(CancellationToken cancellationToken)
    {
        await WaitIfHeldAsync(cancellationToken);
        return [];
    }

    private async Task WaitIfHeldAsync(CancellationToken cancellationToken)
    {
        Task release;
        lock (_lock)
        {
            if (!Hold)
            {
                return;
            }

            release = _release.Task;
        }

        Interlocked.Increment(ref _waiting);
        try
        {
            await release.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
