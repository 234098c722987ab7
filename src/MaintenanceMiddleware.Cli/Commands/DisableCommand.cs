using System.CommandLine;
using MaintenanceMiddleware.Cli.Output;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance disable</c>: switches maintenance off and records why.</summary>
internal static class DisableCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("disable", "Switches maintenance off and records why.");
        var target = new TargetOptions(command);
        var app = CommonOptions.App(command, "*");
        var reason = CommonOptions.Reason(command);
        var expectedVersion = CommonOptions.ExpectedVersion(command);
        var json = CommonOptions.Json(command);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var request = new DisableMaintenanceRequest
            {
                Application = parse.GetValue(app)!,
                Reason = parse.GetValue(reason)!,
                ExpectedVersion = parse.GetValue(expectedVersion),
                Actor = MaintenanceActor.Cli(),
            };
            await using var client = cli.CreateTarget(target, parse);
            var state = await client.DisableAsync(request, ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), state, CliJsonContext.Default.MaintenanceState, () => HumanOutput.Disabled(state)).ConfigureAwait(false);
        }));
        return command;
    }
}
