using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// The WebSocket and server-sent-event requests in flight that began while maintenance was off (the middleware hands
/// them here; no other request is tracked). When this application's maintenance starts, each is decided (kept or
/// doomed); the doomed are aborted once the drain timeout passes. A lock guards the set: only long-lived requests take it.
/// </summary>
internal sealed class LongLivedConnections
{
    private readonly HashSet<LongLivedRequest> _open = [];
    private readonly Action _doomedClosed;
    private Func<LongLivedRequest, bool>? _letsThrough;
    private bool _endOnArrival;
    private int _kept;
    private int _doomed;

    /// <param name="doomedClosed">Called after a doomed request finished (so a drain in progress can look again).</param>
    public LongLivedConnections(Action doomedClosed) => _doomedClosed = doomedClosed;

    /// <summary>Open requests whose visitors are let through during this maintenance (not counting those the cold path counts already).</summary>
    public int Kept => Volatile.Read(ref _kept);

    /// <summary>Open requests whose visitors are not let through: ended at the drain timeout.</summary>
    public int Doomed => Volatile.Read(ref _doomed);

    /// <summary>Open long-lived requests that began while maintenance was off (decided or not).</summary>
    public int Registered
    {
        get
        {
            lock (_open)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Registers a long-lived request whose pipeline is <paramref name="running"/>, until that task completes.</summary>
    /// <param name="context">The request.</param>
    /// <param name="running">What the rest of the pipeline returned (not completed yet).</param>
    /// <param name="onColdPath">Whether the middleware's cold path counts the request already (a live bypass link before a window).</param>
    /// <returns>A task that completes once <paramref name="running"/> has and the request is no longer registered.</returns>
    public Task Track(HttpContext context, Task running, bool onColdPath)
    {
        var request = new LongLivedRequest(context) { OnColdPath = onColdPath };
        Add(request);
        return RemoveWhenDone(running, request);
    }

    /// <summary>Maintenance started: decides every open request with <paramref name="letsThrough"/>, and the ones that register later too.</summary>
    public void Decide(Func<LongLivedRequest, bool> letsThrough)
    {
        lock (_open)
        {
            _letsThrough = letsThrough;
            foreach (var request in _open)
            {
                SetFate(request, letsThrough(request) ? LongLivedFate.Kept : LongLivedFate.Doomed);
            }
        }
    }

    /// <summary>Maintenance ended: nothing is doomed or kept any more.</summary>
    public void Forget()
    {
        lock (_open)
        {
            _letsThrough = null;
            _endOnArrival = false;
            foreach (var request in _open)
            {
                SetFate(request, LongLivedFate.Undecided);
            }
        }
    }

    /// <summary>Aborts every doomed request (<see cref="HttpContext.Abort"/>: the connection is closed) and returns how many.</summary>
    public int AbortDoomed()
    {
        List<LongLivedRequest> doomed;
        lock (_open)
        {
            // One that registers later (it read the snapshot before the switch and returned after the timeout) is ended at once.
            _endOnArrival = true;
            doomed = [.. _open.Where(r => r.Fate == LongLivedFate.Doomed)];
        }

        foreach (var request in doomed)
        {
            request.Context.Abort();
        }

        return doomed.Count;
    }

    private async Task RemoveWhenDone(Task task, LongLivedRequest request)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        finally
        {
            Remove(request);
        }
    }

    private void Add(LongLivedRequest request)
    {
        bool end;
        lock (_open)
        {
            _open.Add(request);
            if (_letsThrough is { } letsThrough)
            {
                SetFate(request, letsThrough(request) ? LongLivedFate.Kept : LongLivedFate.Doomed);
            }

            end = _endOnArrival && request.Fate == LongLivedFate.Doomed;
        }

        if (end)
        {
            request.Context.Abort();
        }
    }

    private void Remove(LongLivedRequest request)
    {
        bool wasDoomed;
        lock (_open)
        {
            if (!_open.Remove(request))
            {
                return;
            }

            wasDoomed = request.Fate == LongLivedFate.Doomed;
            SetFate(request, LongLivedFate.Undecided);
        }

        if (wasDoomed)
        {
            _doomedClosed();
        }
    }

    // Under the lock.
    private void SetFate(LongLivedRequest request, LongLivedFate fate)
    {
        if (request.Fate == fate)
        {
            return;
        }

        Adjust(request, -1);
        request.Fate = fate;
        Adjust(request, +1);
    }

    private void Adjust(LongLivedRequest request, int delta)
    {
        var fate = request.Fate;
        if (fate == LongLivedFate.Kept && !request.OnColdPath)
        {
            Volatile.Write(ref _kept, _kept + delta);
        }
        else if (fate == LongLivedFate.Doomed)
        {
            Volatile.Write(ref _doomed, _doomed + delta);
        }
    }
}
