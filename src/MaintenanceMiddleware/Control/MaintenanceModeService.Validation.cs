namespace MaintenanceMiddleware;

/// <summary>How the service maps each rule (<see cref="MaintenanceRules"/>) to the request field it names.</summary>
internal sealed partial class MaintenanceModeService
{
    /// <summary>Validates the name and returns it as it is known (the configured spelling, for names that differ only in case).</summary>
    private string ValidateApplication(string? application)
    {
        if (!MaintenanceRules.TryValidateApplication(application, allowAll: true, out var error))
        {
            throw new MaintenanceValidationException("application", error);
        }

        if (application == MaintenanceState.AllApplications)
        {
            return application;
        }

        if (_options.Application is { } own && string.Equals(own, application, StringComparison.OrdinalIgnoreCase))
        {
            return own;
        }

        foreach (var known in _options.Applications)
        {
            if (string.Equals(known, application, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        // Outside a host nothing names the applications (Application is set by the host): then any valid name is known.
        if (AllowAnyApplication || (_options.Application is null && _options.Applications.Count == 0))
        {
            return application!;
        }

        var names = new List<string>();
        if (_options.Application is { } name)
        {
            names.Add(name);
        }

        names.AddRange(_options.Applications.Where(a => !names.Contains(a, StringComparer.OrdinalIgnoreCase)));
        names.Add(MaintenanceState.AllApplications + " (all applications)");
        throw new MaintenanceValidationException(
            "application",
            $"Unknown application '{application}'. Known applications: {string.Join(", ", names)}. List more in MaintenanceMode:Applications.");
    }

    private static void ValidateReason(string reason)
    {
        if (!MaintenanceRules.TryValidateReason(reason, out var error))
        {
            throw new MaintenanceValidationException("reason", error);
        }
    }

    private static void ValidateMessage(string? message)
    {
        if (!MaintenanceRules.TryValidateMessage(message, out var error))
        {
            throw new MaintenanceValidationException("message", error);
        }
    }

    private static void ValidateStart(DateTimeOffset? startsAt, DateTimeOffset now)
    {
        if (startsAt is { } start && start - now > MaintenanceRules.MaxWindow)
        {
            throw new MaintenanceValidationException("startsAt", $"The start time {start:O} is more than {MaintenanceRules.MaxWindowDays} days away.");
        }
    }

    private static void ValidateExpectedVersion(long? expectedVersion)
    {
        if (!MaintenanceRules.TryValidateExpectedVersion(expectedVersion, out var error))
        {
            throw new MaintenanceValidationException("expectedVersion", error);
        }
    }

    private static void ValidateActor(MaintenanceActor actor)
    {
        if (string.IsNullOrWhiteSpace(actor.Name) || string.IsNullOrWhiteSpace(actor.Source))
        {
            throw new MaintenanceValidationException("actor", "The actor needs a name and a source.");
        }
    }
}
