using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using MaintenanceMiddleware.Cli.Output;
using MaintenanceMiddleware.Cli.Targets;
using MaintenanceMiddleware;
using Npgsql;

namespace MaintenanceMiddleware.Cli;

/// <summary>
/// The <c>maintenance</c> command: <c>enable | disable | status | log | migrate | hash-key</c>. Everything it prints goes
/// to the writers it is given, so tests run it in-process; <c>Program</c> passes the console.
/// </summary>
internal sealed class CliApplication
{
    public const string ApiKeyVariable = "MAINTENANCE_API_KEY";
    public const string PostgresVariable = "MAINTENANCE_POSTGRES";
    public const string UrlVariable = "MAINTENANCE_URL";
    public const string FileVariable = "MAINTENANCE_FILE";

    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly TextReader _in;
    private readonly Func<string, string?> _environment;
    private readonly TimeProvider _time;
    private readonly TargetFactory _targets;

    public CliApplication(TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, TimeProvider? time = null, TargetFactory? targets = null)
    {
        _out = output;
        _err = error;
        _in = input;
        _environment = environment;
        _time = time ?? TimeProvider.System;
        _targets = targets ?? new TargetFactory();
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var root = BuildRootCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await _err.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await _err.WriteLineAsync("Run 'maintenance --help' (or 'maintenance <command> --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = _out, Error = _err, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }

    private RootCommand BuildRootCommand()
    {
        var root = new RootCommand(
            "Switches maintenance mode of MaintenanceMiddleware apps, from a deployment pipeline or a terminal. " +
            "Exit codes: 0 done, 1 failed (store or app unreachable, conflict, HTTP error), 2 bad usage (nothing changed).");
        root.Subcommands.Add(EnableCommand());
        root.Subcommands.Add(DisableCommand());
        root.Subcommands.Add(StatusCommand());
        root.Subcommands.Add(LogCommand());
        root.Subcommands.Add(MigrateCommand());
        root.Subcommands.Add(HashKeyCommand());
        return root;
    }

    private Command EnableCommand()
    {
        var command = new Command("enable", "Switches maintenance on (at once or for a scheduled window) and records why.");
        var target = new TargetOptions(command);
        var app = AppOption(command, "*");
        var reason = ReasonOption(command);
        var forOption = new Option<string>("--for") { Description = "How long the window lasts: 90s, 30m, 2h, 1d, 1h30m." };
        var until = new Option<string>("--until") { Description = "When the window ends (ISO 8601, e.g. 2026-11-25T14:00Z; UTC when no offset is given)." };
        var startsAt = new Option<string>("--starts-at") { Description = "When the window starts (ISO 8601); default now." };
        var allow = new Option<string[]>("--allow") { Description = "An IP or CIDR let through during this window, on top of the configured allowlist; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var readOnly = new Option<bool>("--read-only") { Description = "Read-only maintenance: GET, HEAD and OPTIONS still reach the app." };
        var json = JsonOption(command);
        command.Options.Add(forOption);
        command.Options.Add(until);
        command.Options.Add(startsAt);
        command.Options.Add(allow);
        command.Options.Add(readOnly);
        command.SetAction((parse, ct) => RunGuardedAsync(async () =>
        {
            var forText = parse.GetValue(forOption);
            var untilText = parse.GetValue(until);
            if (forText is not null && untilText is not null)
            {
                throw CliException.Usage("Give either --for or --until, not both.");
            }

            TimeSpan? duration = null;
            if (forText is not null)
            {
                if (!MaintenanceDuration.TryParse(forText, out var parsed, out var error))
                {
                    throw CliException.Usage($"--for: {error}");
                }

                duration = parsed;
            }

            var request = new EnableMaintenanceRequest
            {
                Application = parse.GetValue(app)!,
                Reason = parse.GetValue(reason)!,
                Mode = parse.GetValue(readOnly) ? MaintenanceMode.ReadOnly : MaintenanceMode.Full,
                StartsAt = ParseTime(parse.GetValue(startsAt), "--starts-at"),
                EndsAt = ParseTime(untilText, "--until"),
                Duration = duration,
                AllowedNetworks = parse.GetValue(allow) ?? [],
                Actor = MaintenanceActor.Cli(),
            };

            await using var client = CreateTarget(target, parse);
            var state = await client.EnableAsync(request, ct).ConfigureAwait(false);
            await WriteResultAsync(parse.GetValue(json), state, CliJsonContext.Default.MaintenanceState, () => HumanOutput.Enabled(state, _time.GetUtcNow())).ConfigureAwait(false);
        }));
        return command;
    }

    private Command DisableCommand()
    {
        var command = new Command("disable", "Switches maintenance off and records why.");
        var target = new TargetOptions(command);
        var app = AppOption(command, "*");
        var reason = ReasonOption(command);
        var json = JsonOption(command);
        command.SetAction((parse, ct) => RunGuardedAsync(async () =>
        {
            var request = new DisableMaintenanceRequest
            {
                Application = parse.GetValue(app)!,
                Reason = parse.GetValue(reason)!,
                Actor = MaintenanceActor.Cli(),
            };
            await using var client = CreateTarget(target, parse);
            var state = await client.DisableAsync(request, ct).ConfigureAwait(false);
            await WriteResultAsync(parse.GetValue(json), state, CliJsonContext.Default.MaintenanceState, () => HumanOutput.Disabled(state)).ConfigureAwait(false);
        }));
        return command;
    }

    private Command StatusCommand()
    {
        var command = new Command("status", "Shows whether an application (or the whole environment) is in maintenance, until when and why.");
        var target = new TargetOptions(command);
        var app = AppOption(command, "*");
        var json = JsonOption(command);
        command.SetAction((parse, ct) => RunGuardedAsync(async () =>
        {
            await using var client = CreateTarget(target, parse);
            var status = await client.GetStatusAsync(parse.GetValue(app)!, ct).ConfigureAwait(false);
            await WriteResultAsync(parse.GetValue(json), status, CliJsonContext.Default.MaintenanceStatus, () => HumanOutput.Status(status)).ConfigureAwait(false);
        }));
        return command;
    }

    private Command LogCommand()
    {
        var command = new Command("log", "Shows the audit trail, newest first: who switched what, when, from where and why.");
        var target = new TargetOptions(command);
        var app = AppOption(command, null);
        var limit = new Option<int>("--limit") { Description = "How many entries to show (1-10000).", DefaultValueFactory = _ => 20 };
        command.Options.Add(limit);
        var json = JsonOption(command);
        command.SetAction((parse, ct) => RunGuardedAsync(async () =>
        {
            await using var client = CreateTarget(target, parse);
            var entries = await client.GetAuditTrailAsync(parse.GetValue(app), parse.GetValue(limit), ct).ConfigureAwait(false);
            await WriteResultAsync(parse.GetValue(json), entries, CliJsonContext.Default.IReadOnlyListMaintenanceAuditEntry, () => entries.Count == 0
                ? "No maintenance changes recorded."
                : string.Join(Environment.NewLine, entries.Select(HumanOutput.AuditLine))).ConfigureAwait(false);
        }));
        return command;
    }

    private Command MigrateCommand()
    {
        var command = new Command("migrate", "Creates the PostgreSQL schema and tables (idempotent), for databases where the app's user may not create tables.");
        var postgres = new Option<string>("--postgres") { Description = $"The PostgreSQL connection string (or {PostgresVariable})." };
        var schema = new Option<string>("--schema") { Description = "The schema holding the tables (default public)." };
        command.Options.Add(postgres);
        command.Options.Add(schema);
        command.SetAction((parse, ct) => RunGuardedAsync(async () =>
        {
            var connectionString = parse.GetValue(postgres) ?? _environment(PostgresVariable);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw CliException.Usage($"migrate needs --postgres <connection string> (or {PostgresVariable}); the file store needs no migration.");
            }

            var (store, dataSource) = TargetFactory.CreatePostgreSqlStore(connectionString, parse.GetValue(schema), _time);
            await using (dataSource.ConfigureAwait(false))
            await using (store.ConfigureAwait(false))
            {
                await store.MigrateAsync(ct).ConfigureAwait(false);
            }

            await _out.WriteLineAsync($"PostgreSQL schema '{parse.GetValue(schema) ?? "public"}' is ready for maintenance state.").ConfigureAwait(false);
        }));
        return command;
    }

    private Command HashKeyCommand()
    {
        var command = new Command("hash-key", "Prints the SHA-256 hash of an API key for MaintenanceMode:ApiKeys:<name>:Hash. Reads the key from the argument, from standard input, or generates one with --generate.");
        var key = new Argument<string>("key") { Description = "The key to hash; omit to read it from standard input (keeps it out of shell history).", Arity = ArgumentArity.ZeroOrOne };
        var generate = new Option<bool>("--generate") { Description = "Generate a new random key and print it with its hash." };
        var name = new Option<string>("--name") { Description = "The key's name, recorded in the audit trail (default pipeline).", DefaultValueFactory = _ => "pipeline" };
        var json = JsonOption(command);
        command.Arguments.Add(key);
        command.Options.Add(generate);
        command.Options.Add(name);
        command.SetAction((parse, ct) => RunGuardedAsync(async () =>
        {
            var keyName = parse.GetValue(name)!;
            if (string.IsNullOrWhiteSpace(keyName) || keyName.Length > 64 || keyName.Any(c => char.IsControl(c) || c is ':' or ' '))
            {
                throw CliException.Usage("--name: use 1-64 characters without spaces or ':'.");
            }

            var value = parse.GetValue(key);
            var generated = parse.GetValue(generate);
            if (generated && value is not null)
            {
                throw CliException.Usage("Give a key or --generate, not both.");
            }

            if (generated)
            {
                value = MaintenanceApiKeyHash.GenerateKey();
            }
            else if (value is null || value == "-")
            {
                value = (await _in.ReadLineAsync(ct).ConfigureAwait(false))?.Trim();
            }

            if (string.IsNullOrEmpty(value))
            {
                throw CliException.Usage("No key given: pass it as an argument, pipe it on standard input, or use --generate.");
            }

            var hash = MaintenanceApiKeyHash.Compute(value);
            var configurationKey = $"{MaintenanceApiKeyDefaults.ConfigurationSection}:{keyName}:Hash";
            if (parse.GetValue(json))
            {
                var output = new ApiKeyHashOutput { Key = generated ? value : null, Hash = hash, ConfigurationKey = configurationKey };
                await _out.WriteLineAsync(JsonSerializer.Serialize(output, CliJsonContext.Default.ApiKeyHashOutput)).ConfigureAwait(false);
                return;
            }

            if (generated)
            {
                await _out.WriteLineAsync($"Key:  {value}   (store it in the pipeline's secrets as {ApiKeyVariable}; it is not shown again)").ConfigureAwait(false);
            }

            await _out.WriteLineAsync($"Hash: {hash}").ConfigureAwait(false);
            await _out.WriteLineAsync($"Configuration: {configurationKey} = {hash}").ConfigureAwait(false);
            await _out.WriteLineAsync($"Environment:   {configurationKey.Replace(":", "__", StringComparison.Ordinal)}={hash}").ConfigureAwait(false);
        }));
        return command;
    }

    private static Option<string> AppOption(Command command, string? defaultValue)
    {
        var option = new Option<string>("--app")
        {
            Description = defaultValue is null
                ? "Only this application's entries ('*' for the environment-wide ones); default all."
                : "The application, or '*' for all applications (the environment-wide switch). Default '*'.",
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        command.Options.Add(option);
        return option;
    }

    private static Option<string> ReasonOption(Command command)
    {
        var option = new Option<string>("--reason") { Description = "Why (required; at most 500 characters, one line). Recorded in the audit trail.", Required = true };
        command.Options.Add(option);
        return option;
    }

    private static Option<bool> JsonOption(Command command)
    {
        var option = new Option<bool>("--json") { Description = "Print JSON instead of a sentence." };
        command.Options.Add(option);
        return option;
    }

    private IMaintenanceTarget CreateTarget(TargetOptions options, ParseResult parse)
    {
        var file = parse.GetValue(options.File);
        var url = parse.GetValue(options.Url);
        var postgres = parse.GetValue(options.Postgres);
        var given = (file is null ? 0 : 1) + (url is null ? 0 : 1) + (postgres is null ? 0 : 1);
        if (given > 1)
        {
            throw CliException.Usage("Choose one target: --file, --url or --postgres.");
        }

        if (given == 0)
        {
            file = _environment(FileVariable).NullIfEmpty();
            url = _environment(UrlVariable).NullIfEmpty();
            postgres = _environment(PostgresVariable).NullIfEmpty();
            given = (file is null ? 0 : 1) + (url is null ? 0 : 1) + (postgres is null ? 0 : 1);
            if (given > 1)
            {
                throw CliException.Usage($"More than one of {FileVariable}, {UrlVariable} and {PostgresVariable} is set; pass --file, --url or --postgres to choose.");
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

        var selection = new TargetSelection
        {
            File = file,
            Url = uri,
            ApiKey = parse.GetValue(options.ApiKey).NullIfEmpty() ?? _environment(ApiKeyVariable).NullIfEmpty(),
            Postgres = postgres,
            PostgresSchema = parse.GetValue(options.Schema),
        };
        return _targets.Create(selection, _time);
    }

    private static DateTimeOffset? ParseTime(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }

        throw CliException.Usage($"{option}: '{text}' is not a time; use ISO 8601, e.g. 2026-11-25T14:00:00Z or 2026-11-25T15:00:00+01:00.");
    }

    private async Task WriteResultAsync<T>(bool json, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, Func<string> human)
    {
        await _out.WriteLineAsync(json ? JsonSerializer.Serialize(value, typeInfo) : human()).ConfigureAwait(false);
        await _out.FlushAsync().ConfigureAwait(false);
    }

    private async Task<int> RunGuardedAsync(Func<Task> action)
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
            (code, message) = (ExitCodes.Usage, $"{OptionFor(ex.Field)}: {ex.Message} Nothing changed.");
        }
        catch (MaintenanceConflictException ex)
        {
            (code, message) = (ExitCodes.Failed, ex.Message);
        }
        catch (MaintenanceStoreException ex)
        {
            (code, message) = (ExitCodes.Failed, $"The state store failed: {ex.Message}{Inner(ex)}");
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or UnauthorizedAccessException or SocketException or TimeoutException)
        {
            (code, message) = (ExitCodes.Failed, $"The state store could not be reached: {ex.Message}");
        }
        catch (NotImplementedException ex)
        {
            (code, message) = (ExitCodes.Failed, $"This target is not available in this build: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            (code, message) = (ExitCodes.Failed, "Cancelled.");
        }

        await _err.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        await _err.FlushAsync().ConfigureAwait(false);
        return code;
    }

    private static string Inner(Exception ex) => ex.InnerException is { } inner ? $" ({inner.Message})" : string.Empty;

    private static string OptionFor(string field) => field switch
    {
        "application" => "--app",
        "reason" => "--reason",
        "endsAt" => "--until",
        "duration" => "--for",
        "startsAt" => "--starts-at",
        "allowedNetworks" => "--allow",
        "limit" => "--limit",
        "mode" => "--read-only",
        _ => field,
    };

    /// <summary>The target options every verb but migrate and hash-key takes.</summary>
    private sealed class TargetOptions
    {
        public TargetOptions(Command command)
        {
            command.Options.Add(File);
            command.Options.Add(Url);
            command.Options.Add(ApiKey);
            command.Options.Add(Postgres);
            command.Options.Add(Schema);
        }

        public Option<string> File { get; } = new("--file") { Description = $"The state file of the file store (the app's MaintenanceMode:FileStore:Path), or {FileVariable}." };

        public Option<string> Url { get; } = new("--url") { Description = $"The maintenance endpoints of a running app, e.g. https://backoffice.example.com/_maintenance, or {UrlVariable}." };

        public Option<string> ApiKey { get; } = new("--api-key") { Description = $"The API key for --url; better: set {ApiKeyVariable}." };

        public Option<string> Postgres { get; } = new("--postgres") { Description = $"A PostgreSQL connection string, or {PostgresVariable}." };

        public Option<string> Schema { get; } = new("--schema") { Description = "The PostgreSQL schema holding the tables (default public)." };
    }
}
