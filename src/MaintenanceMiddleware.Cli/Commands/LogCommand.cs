using System.CommandLine;
using MaintenanceMiddleware.Cli.Output;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance log</c>: the audit trail, newest first.</summary>
internal static class LogCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("log", "Shows the audit trail, newest first: who switched what, when, from where and why.\nExample: maintenance log -a Storefront --limit 50 --file /srv/maintenance/state.json");
        var target = new TargetOptions(command);
        var app = CommonOptions.AppFilter(command);
        var limit = new Option<int>("--limit") { Description = $"How many entries to show ({MaintenanceRules.MinAuditLimit}-{MaintenanceRules.MaxAuditLimit}).", DefaultValueFactory = _ => 20 };
        command.Options.Add(limit);
        var json = CommonOptions.Json(command);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            await using var client = cli.CreateTarget(target, parse);
            var entries = await client.GetAuditTrailAsync(parse.GetValue(app), parse.GetValue(limit), ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), entries, CliJsonContext.Default.IReadOnlyListMaintenanceAuditEntry, () => entries.Count == 0
                ? "No maintenance changes recorded."
                : string.Join(Environment.NewLine, entries.Select(HumanOutput.AuditLine))).ConfigureAwait(false);
        }));
        return command;
    }
}
