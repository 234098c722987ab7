using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MaintenanceMiddleware;

/// <summary>
/// Follows configuration reloads (<c>reloadOnChange</c>) for the options that may change while the application runs
/// (<see cref="ReloadableMaintenanceOptions"/>); every other option is read once at start-up. An edit that does not
/// bind or validate keeps the last valid options and logs an error that names the key.
/// </summary>
/// <remarks>
/// Not <c>IOptionsMonitor.OnChange</c>: on a reload the framework's <c>OptionsMonitor</c> re-creates the options inside
/// the change-token callback and, when the edit is invalid, throws <see cref="OptionsValidationException"/> from there
/// (nobody catches it; the listeners are not called) and from every later <c>CurrentValue</c> read until the file is
/// fixed, because the cached value was dropped and nothing valid replaced it. Here each candidate is built with
/// <see cref="IOptionsFactory{TOptions}.Create"/> (binding, post-configuration and the same validators as at start-up)
/// inside a try/catch, off the same change tokens.
/// </remarks>
internal sealed class MaintenanceOptionsReloader : IDisposable
{
    private readonly IOptionsFactory<MaintenanceModeOptions> _factory;
    private readonly MaintenanceModeOptions _startup;
    private readonly ILogger _logger;
    private readonly bool _production;
    private readonly ForwardedHeadersOptions _forwarded;
    private readonly Lock _lock = new();
    private readonly List<IDisposable> _registrations = [];
    private volatile ReloadableMaintenanceOptions _current;
    private Action? _changed;

    public MaintenanceOptionsReloader(
        IOptions<MaintenanceModeOptions> options,
        IOptionsFactory<MaintenanceModeOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<MaintenanceModeOptions>> sources,
        IHostEnvironment environment,
        IOptions<ForwardedHeadersOptions> forwarded,
        ILogger<MaintenanceOptionsReloader> logger)
    {
        _factory = factory;
        _logger = logger;
        _production = environment.IsProduction();
        _forwarded = forwarded.Value;
        _startup = options.Value;
        _current = ReloadableMaintenanceOptions.Compile(_startup);
        foreach (var source in sources)
        {
            if ((source.Name ?? Options.DefaultName) == Options.DefaultName)
            {
                _registrations.Add(ChangeToken.OnChange(source.GetChangeToken, Reload));
            }
        }
    }

    /// <summary>The last valid reloadable options.</summary>
    public ReloadableMaintenanceOptions Current => _current;

    /// <summary>Sets the one callback told (outside any lock) after <see cref="Current"/> changed.</summary>
    public void OnChanged(Action callback) => _changed = callback;

    /// <summary>Builds and validates the options from configuration as it is now; applies them when valid.</summary>
    internal void Reload()
    {
        lock (_lock)
        {
            MaintenanceModeOptions candidate;
            ReloadableMaintenanceOptions next;
            try
            {
                candidate = _factory.Create(Options.DefaultName);
                next = ReloadableMaintenanceOptions.Compile(candidate);
            }
            catch (OptionsValidationException ex)
            {
                // The validators' messages name the keys (MaintenanceMode:AllowedNetworks:1: ...).
                MaintenanceLog.OptionsReloadRejected(_logger, string.Join(" ", ex.Failures));
                return;
            }
            catch (Exception ex)
            {
                // A value the binder cannot convert ("Failed to convert configuration value at 'MaintenanceMode:RetryAfter' ...").
                MaintenanceLog.OptionsReloadRejected(_logger, ex.Message);
                return;
            }

            // The start-up rule for forwarded headers that trust every peer holds for an allowlist added later too.
            if (next.AllowedNetworks.Count > 0 && _current.AllowedNetworks.Count == 0 && ForwardedHeadersCheck.TrustsEveryPeer(_forwarded))
            {
                if (_production && !_startup.AllowForwardedHeadersFromAnyPeer)
                {
                    MaintenanceLog.OptionsReloadRejected(_logger, ForwardedHeadersCheck.Risk + "; MaintenanceMode:AllowedNetworks is refused in Production until then.");
                    return;
                }

                MaintenanceLog.ForwardedHeadersTrustEveryPeer(_logger, ForwardedHeadersCheck.Risk + ".");
            }

            var restartOnly = RestartOnlyChanges(candidate);
            if (restartOnly.Count > 0)
            {
                MaintenanceLog.OptionsNeedRestart(_logger, string.Join(", ", restartOnly));
            }

            var changed = next.ChangedFrom(_current);
            if (changed.Count == 0)
            {
                return;
            }

            _current = next;
            MaintenanceLog.OptionsReloaded(_logger, string.Join(", ", changed));
        }

        _changed?.Invoke();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
    }

    private List<string> RestartOnlyChanges(MaintenanceModeOptions candidate)
    {
        const string prefix = MaintenanceModeOptions.SectionName + ":";
        var changed = new List<string>();
        if (!string.Equals(candidate.Application, _startup.Application, StringComparison.Ordinal))
        {
            changed.Add(prefix + nameof(MaintenanceModeOptions.Application));
        }

        if (!string.Equals(candidate.PagesRoot, _startup.PagesRoot, StringComparison.Ordinal))
        {
            changed.Add(prefix + nameof(MaintenanceModeOptions.PagesRoot));
        }

        if (!string.Equals(candidate.AssetsPath, _startup.AssetsPath, StringComparison.Ordinal))
        {
            changed.Add(prefix + nameof(MaintenanceModeOptions.AssetsPath));
        }

        if (!candidate.Applications.SequenceEqual(_startup.Applications, StringComparer.Ordinal))
        {
            changed.Add(prefix + nameof(MaintenanceModeOptions.Applications));
        }

        if (candidate.AllowForwardedHeadersFromAnyPeer != _startup.AllowForwardedHeadersFromAnyPeer)
        {
            changed.Add(prefix + nameof(MaintenanceModeOptions.AllowForwardedHeadersFromAnyPeer));
        }

        if (candidate.StartupTimeout != _startup.StartupTimeout)
        {
            changed.Add(prefix + nameof(MaintenanceModeOptions.StartupTimeout));
        }

        return changed;
    }
}
