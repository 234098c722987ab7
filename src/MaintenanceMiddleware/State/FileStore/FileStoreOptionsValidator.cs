using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// The one home of the rules for <see cref="FileStoreOptions"/>: run at start-up (<c>ValidateOnStart</c>) in a host,
/// and by <see cref="ThrowIfInvalid"/> for a store built outside one (the CLI, tools). Every failure names the key.
/// </summary>
/// <param name="sectionPath">The configuration path the options bind from, for the messages.</param>
internal sealed class FileStoreOptionsValidator(string sectionPath = FileStoreOptionsValidator.DefaultSectionPath) : IValidateOptions<FileStoreOptions>
{
    public const string DefaultSectionPath = MaintenanceModeOptions.SectionName + ":" + FileStoreOptions.SectionName;

    // A poll is the only change detection where watchers never fire; a day is already far beyond useful.
    private static readonly TimeSpan s_maxPollInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, FileStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options, sectionPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>For a store created outside a host: throws the same messages as start-up validation.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names every invalid key.</exception>
    public static void ThrowIfInvalid(FileStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options, DefaultSectionPath);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }
    }

    private static List<string> Failures(FileStoreOptions options, string prefix)
    {
        var failures = new List<string>();
        if (options.UsesDefaultPath)
        {
            // The per-machine default is well formed by construction; it is not even resolved here (on Linux that
            // probes /var/lib), so an app on PostgreSQL or Redis never touches it. The store checks the folder.
        }
        else if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add($"{prefix}:Path is empty; give the state file path (leave it unset for the per-machine default).");
        }
        else if (options.Path.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{prefix}:Path contains a NUL character.");
        }
        else if (Path.EndsInDirectorySeparator(options.Path) || Path.GetFileName(options.Path) is "" or "." or "..")
        {
            failures.Add($"{prefix}:Path '{options.Path}' names a folder; give the state file, for example '{Path.Combine(options.Path, "state.json")}'.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > s_maxPollInterval)
        {
            failures.Add($"{prefix}:PollInterval must be positive and at most {s_maxPollInterval} (was {options.PollInterval}).");
        }

        if (options.LockTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:LockTimeout must be positive (was {options.LockTimeout}).");
        }

        return failures;
    }
}
