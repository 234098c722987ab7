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
            var list = await client.GetInstancesAsync(application, ct).ConfigureAwait(false);
            var stored = new Dictionary<string, (long, long)>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in list.Instances.Select(i => i.Application).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var status = await client.GetStatusAsync(name, ct).ConfigureAwait(false);
                stored[name] = (status.Own.Version, status.Environment.Version);
            }

            await cli.WriteResultAsync(parse.GetValue(json), list, CliJsonContext.Default.MaintenanceInstanceList, () => InstancesOutput.List(list, a => stored[a])).ConfigureAwait(false);
        }));
        return command;
    }
}
