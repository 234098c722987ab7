using System.CommandLine;
using MaintenanceMiddleware.Cli.Output;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance instances</c>: the running instances that report to the store, and where each stands.</summary>
internal static class InstancesCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("instances", "Lists the instances that report to the store: application, host, applied version and lag, requests in flight, open long-lived connections, background work paused, forced on by configuration, last heartbeat. An instance is gone after three missed heartbeats.\n" +
            "Example: maintenance instances -a Storefront --postgres \"$MAINTENANCE_POSTGRES\"");
        var target = new TargetOptions(command);
        var app = CommonOptions.AppFilter(command);
        var json = CommonOptions.Json(command);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var application = parse.GetValue(app);
            await using var client = cli.CreateTarget(target, parse);
            if (application is not null)
            {
                // A typo is refused with the known names, as for status, never answered with "no instance".
                await CliContext.EnsureKnownAsync(client, application, allowNew: false, ct).ConfigureAwait(false);
            }

            var list = await client.GetInstancesAsync(application, ct).ConfigureAwait(false);
            var stored = new Dictionary<string, (long, long)>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in list.Instances.Select(i => i.Application).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                // An instance that reports a name no store would accept is still listed, without its lag.
                if (MaintenanceRules.TryValidateApplication(name, allowAll: true, out _))
                {
                    var status = await client.GetStatusAsync(name, ct).ConfigureAwait(false);
                    stored[name] = (status.Own.Version, status.Environment.Version);
                }
            }

            await cli.WriteResultAsync(parse.GetValue(json), list, CliJsonContext.Default.MaintenanceInstanceList, () => InstancesOutput.List(list, a => stored.GetValueOrDefault(a, (0, 0)))).ConfigureAwait(false);
        }));
        return command;
    }
}
