using System.Diagnostics.Metrics;

namespace MaintenanceMiddleware;

/// <summary>
/// Every request in flight on this host, as ASP.NET Core's hosting layer counts it: a <see cref="MeterListener"/> on
/// <c>Microsoft.AspNetCore.Hosting</c> / <c>http.server.active_requests</c> (+1 when a request begins, -1 when it is
/// disposed), limited to this host's meter factory. The middleware's maintenance-off path does nothing for it.
/// </summary>
/// <remarks>
/// Listening enables the instrument, so the hosting layer then records it for every request (a tag list on the
/// stack and this callback: no allocation per request). Hosts that export metrics pay that already. docs/benchmarks.md
/// section 6 has the figures.
/// </remarks>
internal sealed class HostingActiveRequests : IDisposable
{
    internal const string MeterName = "Microsoft.AspNetCore.Hosting";
    internal const string InstrumentName = "http.server.active_requests";

    private readonly MeterListener _listener = new();
    private readonly object? _scope;
    private long _active;

    /// <param name="scope">The host's <c>IMeterFactory</c>: only its meter counts (other hosts in the process have their own).</param>
    /// <param name="ended">Called after a request ended (the count went down), so a drain in progress can look again.</param>
    public HostingActiveRequests(object? scope, Action ended)
    {
        _scope = scope;
        Ended = ended;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == InstrumentName && instrument.Meter.Name == MeterName
                && (_scope is null || ReferenceEquals(instrument.Meter.Scope, _scope)))
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, _, state) => ((HostingActiveRequests)state!).Add(value));
        _listener.Start();
    }

    /// <summary>Requests the hosting layer has begun and not yet disposed.</summary>
    public long Active => Interlocked.Read(ref _active);

    private Action Ended { get; }

    public void Dispose() => _listener.Dispose();

    private void Add(long value)
    {
        Interlocked.Add(ref _active, value);
        if (value < 0)
        {
            Ended();
        }
    }
}
