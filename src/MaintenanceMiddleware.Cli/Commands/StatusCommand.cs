using System.CommandLine;
using MaintenanceMiddleware.Cli.Output;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance status</c>: whether an application (or the whole environment) is in maintenance, until when and why.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("status", "Shows whether an application (or the whole environment) is in maintenance, until when and why.");
        var target = new TargetOptions(command);
        var app = CommonOptions.App(command, "*");
        var json = CommonOptions.Json(command);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            await using var client = cli.CreateTarget(target, parse);
            var status = await client.GetStatusAsync(parse.GetValue(app)!, ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), status, CliJsonContext.Default.MaintenanceStatus, () => HumanOutput.Status(status)).ConfigureAwait(false);
        }));
        return command;
    }
}
