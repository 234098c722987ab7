using System.CommandLine;
using MaintenanceMiddleware.Cli.Commands;
using MaintenanceMiddleware.Cli.Targets;

namespace MaintenanceMiddleware.Cli;

/// <summary>
/// The <c>maintenance</c> command: <c>enable | disable | status | log | migrate | hash-key | bypass</c>, one file each under
/// <c>Commands/</c>. Everything it prints goes to the writers it is given, so tests run it in-process; <c>Program</c>
/// passes the console.
/// </summary>
internal sealed class CliApplication
{
    public const string ApiKeyVariable = "MAINTENANCE_API_KEY";
    public const string PostgresVariable = "MAINTENANCE_POSTGRES";
    public const string RedisVariable = "MAINTENANCE_REDIS";
    public const string UrlVariable = "MAINTENANCE_URL";
    public const string FileVariable = "MAINTENANCE_FILE";

    private readonly CliContext _cli;

    public CliApplication(TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, TimeProvider? time = null, TargetFactory? targets = null)
    {
        _cli = new CliContext(output, error, input, environment, time ?? TimeProvider.System, targets ?? new TargetFactory());
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand(
            "Switches maintenance mode of MaintenanceMiddleware apps, from a deployment pipeline or a terminal. " +
            "Exit codes: 0 done, 1 failed (store or app unreachable, conflict, HTTP error or redirect: redirects are never followed), " +
            "2 bad usage (nothing changed: a missing or unknown --app, a missing --file, a duration without a unit, ...), " +
            "3 disable switched the entry off but the application is still in maintenance (through '*' or configuration). " +
            "Known applications are those with a stored state or an audit entry (there is no instance registry yet); --new-app switches a new one.")
        {
            EnableCommand.Create(_cli),
            DisableCommand.Create(_cli),
            StatusCommand.Create(_cli),
            InstancesCommand.Create(_cli),
            LogCommand.Create(_cli),
            MigrateCommand.Create(_cli),
            HashKeyCommand.Create(_cli),
            BypassCommand.Create(_cli),
        };

        if (args.Count == 0)
        {
            // Help, but a pipeline step that lost its verb must still fail.
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = _cli.Out, Error = _cli.Err }, cancellationToken).ConfigureAwait(false);
            await _cli.Err.WriteLineAsync("error: no command given; choose one of enable, disable, status, instances, log, migrate, hash-key, bypass.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var parse = root.Parse(args);
        _cli.Arguments = args;
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await _cli.Err.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await _cli.Err.WriteLineAsync("Run 'maintenance --help' (or 'maintenance <command> --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = _cli.Out, Error = _cli.Err, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }
}
