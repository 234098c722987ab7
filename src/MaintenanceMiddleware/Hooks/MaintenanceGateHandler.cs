using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// The handler <c>AddMaintenanceGate("Storefront")</c> puts in an HTTP client: while the application is in maintenance
/// it sends nothing and throws <see cref="ApplicationInMaintenanceException"/>; a call in flight when maintenance begins
/// is cancelled (through the gate's token) and ends with the same exception. When it is off, the cost is one read and
/// one linked token per call.
/// </summary>
internal sealed class MaintenanceGateHandler(string application, MaintenanceModeGate gate, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = gate.MaintenanceStartedToken;
        if (gate.IsActive || started.IsCancellationRequested)
        {
            MaintenanceLog.CallSkipped(logger, application, request.Method.Method, request.RequestUri?.AbsolutePath);
            throw ApplicationNotice.Exception(application, gate, wasInFlight: false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, started);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException && started.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            MaintenanceLog.CallAborted(logger, application, request.Method.Method, request.RequestUri?.AbsolutePath);
            throw ApplicationNotice.Exception(application, gate, wasInFlight: true, ex);
        }

        // Some transports answer a cancelled call (an in-process server's error response) instead of throwing: the
        // call was still in flight when maintenance began, so its answer is not trusted either.
        if (started.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            MaintenanceLog.CallAborted(logger, application, request.Method.Method, request.RequestUri?.AbsolutePath);
            throw ApplicationNotice.Exception(application, gate, wasInFlight: true);
        }

        return response;
    }
}
