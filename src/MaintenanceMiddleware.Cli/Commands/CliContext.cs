using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.CommandLine;
using MaintenanceMiddleware.Cli.Targets;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary>
/// What every command shares: the writers, the environment, the clock, the target factory, and the one place where a
/// failure becomes a message on stderr and an exit code (<see cref="ExitCodes"/>).
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, TimeProvider time, TargetFactory targets)
{
    public const string ApiKeyVariable = CliApplication.ApiKeyVariable;
    public const string PostgresVariable = CliApplication.PostgresVariable;
    public const string RedisVariable = CliApplication.RedisVariable;
    public const string UrlVariable = CliApplication.UrlVariable;
    public const string FileVariable = CliApplication.FileVariable;

    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public TextReader In { get; } = input;

    public TimeProvider Time { get; } = time;

    /// <summary>The arguments as given (System.CommandLine drops an empty <c>--wait=</c>, which must be refused, not read as <c>--wait</c>).</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];

    public string? Environment(string name) => environment(name);

    public IMaintenanceTarget CreateTarget(TargetOptions options, ParseResult parse)
    {
        var file = parse.GetValue(options.File);
        var url = parse.GetValue(options.Url);
        var postgres = parse.GetValue(options.Postgres);
        var redis = parse.GetValue(options.Redis);
        var given = (file is null ? 0 : 1) + (url is null ? 0 : 1) + (postgres is null ? 0 : 1) + (redis is null ? 0 : 1);
        if (given > 1)
        {
            throw CliException.Usage("Choose one target: --file, --url, --postgres or --redis.");
        }

        if (given == 0)
        {
            file = environment(FileVariable).NullIfEmpty();
            url = environment(UrlVariable).NullIfEmpty();
            postgres = environment(PostgresVariable).NullIfEmpty();
            redis = environment(RedisVariable).NullIfEmpty();
            given = (file is null ? 0 : 1) + (url is null ? 0 : 1) + (postgres is null ? 0 : 1) + (redis is null ? 0 : 1);
            if (given > 1)
            {
                throw CliException.Usage($"More than one of {FileVariable}, {UrlVariable}, {PostgresVariable} and {RedisVariable} is set; pass --file, --url, --postgres or --redis to choose.");
            }
        }

        Uri? uri = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
        {
            throw CliException.Usage($"--url: '{url}' is not an http(s) URL; give the maintenance endpoints' base, e.g. https://backoffice.example.com/_maintenance.");
        }

        if (file is not null && string.IsNullOrWhiteSpace(file))
        {
            throw CliException.Usage("--file: a path is required.");
        }

        var apiKey = parse.GetValue(options.ApiKey).NullIfEmpty() ?? environment(ApiKeyVariable).NullIfEmpty();
        if (uri is not null && apiKey is not null)
        {
            if (apiKey.AsSpan().IndexOfAnyExceptInRange('!', '~') is var at and >= 0)
            {
                // A header cannot carry it (a newline would end the header), and the server would never match it.
                throw CliException.Usage($"--api-key (or {ApiKeyVariable}): the key contains a character a header cannot carry (U+{(int)apiKey[at]:X4}, position {at + 1}); keys are printable ASCII without spaces, as 'maintenance hash-key --generate' prints them.");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                Err.WriteLine($"warning: the API key is sent over plain http:// to {uri.Host}, where anyone on the path can read it; use https://.");
            }
        }

        var selection = new TargetSelection
        {
            File = file,
            CreateFile = parse.GetValue(options.Create),
            Url = uri,
            ApiKey = apiKey,
            Postgres = postgres,
            PostgresSchema = parse.GetValue(options.Schema),
            Redis = redis,
            RedisKeyPrefix = parse.GetValue(options.RedisPrefix),
        };
        return targets.Create(selection, Time);
    }

    /// <summary>
    /// Refuses (exit 2) an application the store has never seen, so a typo cannot switch nothing and exit 0. Known are the
    /// applications with a stored state or an audit entry, and those instances report (their own and the ones they declare). <c>*</c> is always known.
    /// </summary>
    public static async Task EnsureKnownAsync(IMaintenanceTarget client, string application, bool allowNew, CancellationToken cancellationToken)
    {
        if (allowNew || application == MaintenanceState.AllApplications || !MaintenanceRules.TryValidateApplication(application, allowAll: false, out _))
        {
            // An invalid name gets the service's own --app error.
            return;
        }

        var known = await client.GetKnownApplicationsAsync(cancellationToken).ConfigureAwait(false);
        if (known.Contains(application, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        throw CliException.Usage(known.Count == 0
            ? $"--app: unknown application '{application}'; the {client.Description} has no application yet (no stored state, no audit entry, no instance reporting). Check the name, or pass --new-app to switch it for the first time. Nothing changed."
            : $"--app: unknown application '{application}'; known: {string.Join(", ", known.Select(MaintenanceText.Escape))}. Check the name, or pass --new-app to switch a new application. Nothing changed.");
    }

    /// <summary>The instances reporting for <paramref name="application"/>, or <see langword="null"/> when the store keeps no registry or cannot list them (the answer then says nothing about instances).</summary>
    public static async Task<MaintenanceInstanceList?> TryGetInstancesAsync(IMaintenanceTarget client, string application, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetInstancesAsync(application == MaintenanceState.AllApplications ? null : application, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MaintenanceStoreException or CliException)
        {
            // No registry (a custom store), or endpoints of an older version: say nothing about instances.
            return null;
        }
    }

    public async Task WriteResultAsync<T>(bool json, T value, JsonTypeInfo<T> typeInfo, Func<string> human)
    {
        await Out.WriteLineAsync(json ? JsonSerializer.Serialize(value, typeInfo) : human()).ConfigureAwait(false);
        await Out.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Prints what <c>enable</c>/<c>disable</c> did: the sentence (or the state as JSON, or with a wait the state and the
    /// confirmation), then the per-instance table. A wait that did not confirm ends with <see cref="ExitCodes.NotConfirmed"/>.
    /// </summary>
    public async Task WriteSwitchResultAsync(bool json, MaintenanceSwitchResult result, string sentence)
    {
        if (result.Confirmation is not { } confirmation)
        {
            await WriteResultAsync(json, result.State, CliJsonContext.Default.MaintenanceState, () => sentence).ConfigureAwait(false);
            return;
        }

        await WriteResultAsync(json, result, CliJsonContext.Default.MaintenanceSwitchResult, () => sentence + System.Environment.NewLine + Output.InstancesOutput.Confirmation(confirmation)).ConfigureAwait(false);
        if (confirmation.NoLiveInstance)
        {
            await Err.WriteLineAsync($"warning: no live instance of {Output.HumanOutput.Application(confirmation.Application)} reports to this store; nothing confirmed the change (no instance serves the old state either).").ConfigureAwait(false);
            await Err.FlushAsync().ConfigureAwait(false);
        }
        else if (!confirmation.Confirmed)
        {
            throw new CliException(ExitCodes.NotConfirmed, Output.InstancesOutput.NotConfirmed(confirmation));
        }
    }

    /// <summary>
    /// Runs a command's work. These are the only failures there are: the stores wrap every I/O and database error in
    /// <see cref="MaintenanceStoreException"/>, the HTTP target and the commands throw <see cref="CliException"/>.
    /// </summary>
    public async Task<int> RunGuardedAsync(Func<Task> action)
    {
        string message;
        int code;
        try
        {
            await action().ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (CliException ex)
        {
            (code, message) = (ex.ExitCode, ex.Message);
        }
        catch (MaintenanceValidationException ex)
        {
            (code, message) = (ExitCodes.Usage, $"{CliOptionNames.For(ex.Field)}: {ex.Message} Nothing changed.");
        }
        catch (MaintenanceConflictException ex)
        {
            (code, message) = (ExitCodes.Failed, ex.Message);
        }
        catch (MaintenanceStoreException ex)
        {
            // The store's hint for apps (set CreateSchema) does not apply: the CLI never creates tables.
            (code, message) = (ExitCodes.Failed, $"The state store failed: {ex.Message.Replace(" or set MaintenanceMode:PostgreSql:CreateSchema=true.", ".", StringComparison.Ordinal)}{Inner(ex)}");
        }
        catch (OperationCanceledException)
        {
            (code, message) = (ExitCodes.Failed, "Cancelled.");
        }

        await Err.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        await Err.FlushAsync().ConfigureAwait(false);
        return code;
    }

    private static string Inner(Exception ex) => ex.InnerException is { } inner ? $" ({inner.Message})" : string.Empty;
}
