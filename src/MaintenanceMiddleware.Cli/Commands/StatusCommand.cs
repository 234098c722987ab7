using System.CommandLine;
using MaintenanceMiddleware.Cli.Output;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance status</c>: whether an application (or the whole environment) is in maintenance, until when and why.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("status", "Shows whether an application (or with --all the environment-wide entry '*') is in maintenance, until when and why: the effective state, its own entry and '*', and each live instance's applied versions and whether configuration forces it on.\n" +
            "Example: maintenance status -a Storefront --file /srv/maintenance/state.json");
        var target = new TargetOptions(command);
        var app = new ApplicationOptions(command, newApp: true);
        var json = CommonOptions.Json(command);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var application = app.Resolve(parse);
            await using var client = cli.CreateTarget(target, parse);
            await CliContext.EnsureKnownAsync(client, application, app.AllowNew(parse), ct).ConfigureAwait(false);
            var status = await client.GetStatusAsync(application, ct).ConfigureAwait(false);
            var instances = application == MaintenanceState.AllApplications ? null : await CliContext.TryGetInstancesAsync(client, application, ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), status, CliJsonContext.Default.MaintenanceStatus, () => HumanOutput.Status(status) + (instances is null ? string.Empty : System.Environment.NewLine + InstancesOutput.StatusLines(instances, application))).ConfigureAwait(false);
        }));
        return command;
    }
}
