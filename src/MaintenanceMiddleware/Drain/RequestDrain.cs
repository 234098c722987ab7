namespace MaintenanceMiddleware;

/// <summary>
/// What is still running from before this application's maintenance started: requests that were in flight at the
/// switch, and long-lived connections (WebSocket, server-sent events) of visitors who are not let through, which are
/// ended once <see cref="MaintenanceModeOptions.DrainTimeout"/> has passed. The instance reporter reads it.
/// </summary>
/// <remarks>Work in progress (issue 11, item 3): nothing is tracked yet, so it reports nothing in flight.</remarks>
internal sealed class RequestDrain
{
    private int _inFlight;
    private int _longLived;
    private bool _drained = true;

    /// <summary>Raised when <see cref="Drained"/> may have changed, so the instance reports at once.</summary>
    public event Action? Changed;

    /// <summary>Requests in flight since before maintenance started that have not finished (0 when maintenance is off).</summary>
    public int InFlightRequests => Volatile.Read(ref _inFlight);

    /// <summary>Open long-lived connections of visitors who are not let through (0 when maintenance is off).</summary>
    public int OpenLongLivedConnections => Volatile.Read(ref _longLived);

    /// <summary>Whether nothing from before the switch is still running, or the drain timeout has passed and the connections were ended.</summary>
    public bool Drained => Volatile.Read(ref _drained);

    /// <summary>Tells the drain that this application's maintenance started or ended (called from the snapshot swap).</summary>
    public void OnTransition(bool active)
    {
        Volatile.Write(ref _inFlight, 0);
        Volatile.Write(ref _longLived, 0);
        Volatile.Write(ref _drained, true);
        Changed?.Invoke();
    }
}
