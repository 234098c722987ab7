using System.CommandLine;
using MaintenanceMiddleware.Cli.Output;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance disable</c>: switches maintenance off and records why.</summary>
internal static class DisableCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("disable", $"Switches maintenance off and records why. Exits {ExitCodes.StillInMaintenance} when the application stays in maintenance through another entry (the environment-wide '*', or configuration on an instance), naming who enabled it and when.\n" +
            "Example: maintenance disable -a Storefront -r \"Release 42 done\" --wait --file /srv/maintenance/state.json");
        var target = new TargetOptions(command);
        var app = new ApplicationOptions(command, newApp: true);
        var reason = CommonOptions.Reason(command);
        var expectedVersion = CommonOptions.ExpectedVersion(command);
        var json = CommonOptions.Json(command);
        var wait = CommonOptions.Wait(command);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var application = app.Resolve(parse);
            var waitFor = CommonOptions.ParseWait(parse, wait, cli.Arguments);
            var request = new DisableMaintenanceRequest
            {
                Application = application,
                Reason = parse.GetValue(reason)!,
                ExpectedVersion = parse.GetValue(expectedVersion),
                Actor = MaintenanceActor.Cli(),
            };
            await using var client = cli.CreateTarget(target, parse);
            await CliContext.EnsureKnownAsync(client, application, app.AllowNew(parse), ct).ConfigureAwait(false);
            var result = await client.DisableAsync(request, waitFor, ct).ConfigureAwait(false);
            await cli.WriteSwitchResultAsync(parse.GetValue(json), result, HumanOutput.Disabled(result.State)).ConfigureAwait(false);
            var after = await client.GetStatusAsync(application, ct).ConfigureAwait(false);
            if (after.IsActive)
            {
                throw new CliException(ExitCodes.StillInMaintenance, HumanOutput.StillInMaintenance(after));
            }

            if (await CliContext.TryGetInstancesAsync(client, application, ct).ConfigureAwait(false) is { } instances
                && instances.Live.Where(i => i.ForcedByConfiguration && InstanceConfirmationRule.Concerns(i, application)).ToList() is { Count: > 0 } forced)
            {
                throw new CliException(ExitCodes.StillInMaintenance, InstancesOutput.ForcedOn(application, forced));
            }
        }));
        return command;
    }
}
