using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// One <see cref="MaintenanceModeGate"/> per application the host declares: its own (the gate registered as
/// <see cref="IMaintenanceModeGate"/>), <c>*</c>, and each of <c>MaintenanceMode:Applications</c>. Fed by the hooks
/// dispatcher from each snapshot; read by <see cref="IMaintenanceModeGate.ForApplication"/>, the gated HTTP clients and the
/// refused-operation matcher policy. Lookups ignore case.
/// </summary>
internal sealed class MaintenanceApplicationGates : IDisposable
{
    private readonly FrozenDictionary<string, MaintenanceModeGate> _gates;

    public MaintenanceApplicationGates(MaintenanceModeGate own, IOptions<MaintenanceModeOptions> options, ILoggerFactory? loggerFactory = null)
        : this(own, options.Value.ApplicationName, options.Value.Applications, loggerFactory)
    {
    }

    internal MaintenanceApplicationGates(MaintenanceModeGate own, string ownName, IEnumerable<string> declared, ILoggerFactory? loggerFactory = null)
    {
        OwnName = ownName;
        Own = own;
        own.Registry = this;
        var logger = loggerFactory?.CreateLogger<MaintenanceModeGate>() ?? NullLogger<MaintenanceModeGate>.Instance;
        var gates = new Dictionary<string, MaintenanceModeGate>(StringComparer.OrdinalIgnoreCase) { [ownName] = own };
        foreach (var name in declared.Prepend(MaintenanceState.AllApplications))
        {
            if (!gates.ContainsKey(name))
            {
                gates[name] = new MaintenanceModeGate(logger) { Registry = this };
            }
        }

        _gates = gates.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The host's own application name.</summary>
    public string OwnName { get; }

    /// <summary>The host's own gate.</summary>
    public MaintenanceModeGate Own { get; }

    /// <summary>Every declared name (own, <c>*</c>, <c>MaintenanceMode:Applications</c>).</summary>
    public IEnumerable<string> Names => _gates.Keys;

    /// <summary>The gate of <paramref name="application"/>, or <see langword="null"/> when the host does not declare it.</summary>
    public MaintenanceModeGate? Find(string application) => _gates.GetValueOrDefault(application);

    /// <summary>The gate of <paramref name="application"/>; an undeclared name is an <see cref="ArgumentException"/> naming it.</summary>
    public MaintenanceModeGate Get(string application) =>
        Find(application) ?? throw new ArgumentException(UndeclaredMessage(application, Names), nameof(application));

    /// <summary>The one message for an application name the host does not declare.</summary>
    public static string UndeclaredMessage(string application, IEnumerable<string> declared) =>
        $"The application '{application}' is not declared by this host. Add it to MaintenanceMode:Applications " +
        $"(declared: {string.Join(", ", declared.Select(static n => $"'{n}'"))}).";

    public void Dispose()
    {
        foreach (var gate in _gates.Values)
        {
            if (!ReferenceEquals(gate, Own))
            {
                gate.Dispose();
            }
        }
    }
}
