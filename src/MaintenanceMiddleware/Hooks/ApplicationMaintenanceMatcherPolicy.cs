using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace MaintenanceMiddleware;

/// <summary>
/// Refuses operations on an application in maintenance (<see cref="DisabledWhileInMaintenanceAttribute"/>): during
/// routing, a matched endpoint whose target is in maintenance is replaced by one that answers <c>409</c> (or <c>404</c>
/// for a route value naming no declared application). Routing builds its tables with this policy only for endpoints
/// that carry the attribute, so every other request, and the maintenance middleware's hot path, pay nothing. The
/// replacement keeps the original endpoint's metadata, so authorization and the host's own maintenance still apply.
/// </summary>
internal sealed class ApplicationMaintenanceMatcherPolicy(MaintenanceApplicationGates gates, ApplicationRefusalWriter writer) : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly ConcurrentDictionary<Endpoint, Endpoint> _refusals = new();
    private readonly ConcurrentDictionary<Endpoint, Endpoint> _unknowns = new();

    // After the HTTP method policy (-1000): a refusal answers only the method the endpoint serves.
    public override int Order => 100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<DisabledWhileInMaintenanceAttribute>() is not null)
            {
                return true;
            }
        }

        return false;
    }

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            ref var candidate = ref candidates[i];
            if (candidate.Endpoint.Metadata.GetMetadata<DisabledWhileInMaintenanceAttribute>() is not { } target)
            {
                continue;
            }

            var gate = Target(target, candidate.Values) is { } name ? gates.Find(name) : null;
            if (gate is null)
            {
                candidates.ReplaceEndpoint(i, _unknowns.GetOrAdd(candidate.Endpoint, static (e, w) => Replace(e, w.WriteUnknownAsync, "unknown application"), writer), candidate.Values);
            }
            else if (gate.IsActive)
            {
                candidates.ReplaceEndpoint(i, _refusals.GetOrAdd(candidate.Endpoint, static (e, w) => Replace(e, w.WriteRefusalAsync, "refused: target in maintenance"), writer), candidate.Values);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The target application of an endpoint for these route values; <see langword="null"/> when the route value is missing.</summary>
    internal static string? Target(DisabledWhileInMaintenanceAttribute target, RouteValueDictionary? values) =>
        target.Application ?? (target.RouteValue is { } key && values?.TryGetValue(key, out var value) == true ? value?.ToString() : null);

    private static Endpoint Replace(Endpoint original, Func<HttpContext, DisabledWhileInMaintenanceAttribute, Task> write, string what)
    {
        var target = original.Metadata.GetRequiredMetadata<DisabledWhileInMaintenanceAttribute>();
        return new Endpoint(context => write(context, target), original.Metadata, $"{original.DisplayName} ({what})");
    }
}
