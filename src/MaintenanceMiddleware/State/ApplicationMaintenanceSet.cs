using System.Collections.Frozen;

namespace MaintenanceMiddleware;

/// <summary>
/// The effective maintenance of every application a host declares (<c>MaintenanceMode:Applications</c>, its own
/// application, and <c>*</c>), computed once per snapshot swap from the stored states. Immutable; lookups ignore case.
/// </summary>
internal sealed class ApplicationMaintenanceSet
{
    private readonly FrozenDictionary<string, ApplicationMaintenance> _byName;

    private ApplicationMaintenanceSet(FrozenDictionary<string, ApplicationMaintenance> byName, DateTimeOffset? nextBoundary)
    {
        _byName = byName;
        NextBoundary = nextBoundary;
    }

    /// <summary>The declared names (own, <c>*</c>, then <c>MaintenanceMode:Applications</c>).</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>The next time a scheduled window of a declared application starts or ends.</summary>
    public DateTimeOffset? NextBoundary { get; }

    /// <summary>The entry for <paramref name="application"/>, or <see langword="null"/> when the host does not declare it.</summary>
    public ApplicationMaintenance? Find(string application) => _byName.GetValueOrDefault(application);

    /// <summary>
    /// Computes the set: <paramref name="own"/> as the host's snapshot computed it (configuration can force it on),
    /// <c>*</c> and each <paramref name="declared"/> application from the stored <paramref name="states"/> at <paramref name="now"/>.
    /// </summary>
    public static ApplicationMaintenanceSet Compute(
        ApplicationMaintenance own,
        IReadOnlyList<string> declared,
        IReadOnlyList<MaintenanceState> states,
        MaintenanceState environment,
        DateTimeOffset now)
    {
        var environmentActive = environment.IsActiveAt(now);
        var byName = new Dictionary<string, ApplicationMaintenance>(declared.Count + 2, StringComparer.OrdinalIgnoreCase)
        {
            [own.Application] = own,
        };
        byName.TryAdd(MaintenanceState.AllApplications, new ApplicationMaintenance(MaintenanceState.AllApplications, environmentActive, environment));

        DateTimeOffset? next = null;
        foreach (var name in declared)
        {
            if (byName.ContainsKey(name))
            {
                continue;
            }

            var state = Find(states, name) ?? MaintenanceState.Off(name);
            var ownActive = state.IsActiveAt(now);
            var effective = environmentActive
                ? MaintenanceSnapshot.Strictest(environment, environmentActive, ownActive ? state : null, forcedByConfiguration: false)
                : state;
            byName[name] = new ApplicationMaintenance(name, ownActive || environmentActive, effective);
            if (MaintenanceSnapshot.NextBoundaryAfter(now, state) is { } b && (next is null || b < next))
            {
                next = b;
            }
        }

        return new ApplicationMaintenanceSet(byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), next);
    }

    private static MaintenanceState? Find(IReadOnlyList<MaintenanceState> states, string application)
    {
        foreach (var state in states)
        {
            if (string.Equals(state.Application, application, StringComparison.OrdinalIgnoreCase))
            {
                return state;
            }
        }

        return null;
    }
}
