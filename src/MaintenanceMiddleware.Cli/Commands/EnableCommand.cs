using System.CommandLine;
using System.Globalization;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance enable</c>: switches maintenance on (at once or for a scheduled window) and records why.</summary>
internal static class EnableCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("enable", "Switches maintenance on (at once or for a scheduled window) and records why. When it is already on, says so and updates the window and options (exit 0).\n" +
            "Example: maintenance enable -a Storefront -r \"Release 42\" --for 30m -m \"Back at 14:30.\" --wait 60s --file /srv/maintenance/state.json");
        var target = new TargetOptions(command);
        var app = new ApplicationOptions(command, newApp: true);
        var reason = CommonOptions.Reason(command);
        var message = new Option<string>("--message", "-m") { Description = $"What visitors and API clients are told (optional; at most {MaintenanceRules.MaxReasonLength} characters, one line). The reason stays internal." };
        var forOption = new Option<string>("--for") { Description = "How long the window lasts: 90s, 30m, 2h, 1d, 1h30m." };
        var until = new Option<string>("--until") { Description = "When the window ends (ISO 8601, e.g. 2026-11-25T14:00Z; UTC when no offset is given)." };
        var startsAt = new Option<string>("--starts-at") { Description = "When the window starts (ISO 8601); default now." };
        var allow = new Option<string[]>("--allow") { Description = "An IP or CIDR let through during this window, on top of the configured allowlist; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var readOnly = new Option<bool>("--read-only") { Description = "Read-only maintenance: GET, HEAD and OPTIONS still reach the app." };
        var expectedVersion = CommonOptions.ExpectedVersion(command);
        var json = CommonOptions.Json(command);
        var wait = CommonOptions.Wait(command);
        command.Options.Add(message);
        command.Options.Add(forOption);
        command.Options.Add(until);
        command.Options.Add(startsAt);
        command.Options.Add(allow);
        command.Options.Add(readOnly);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var forText = parse.GetValue(forOption);
            var untilText = parse.GetValue(until);
            if (forText is not null && untilText is not null)
            {
                throw CliException.Usage("Give either --for or --until, not both.");
            }

            TimeSpan? duration = forText is null ? null : CommonOptions.ParseDuration(forText, "--for");
            var waitFor = CommonOptions.ParseWait(parse, wait, cli.Arguments);
            var application = app.Resolve(parse);
            var request = new EnableMaintenanceRequest
            {
                Application = application,
                Reason = parse.GetValue(reason)!,
                Message = parse.GetValue(message),
                Mode = parse.GetValue(readOnly) ? MaintenanceMode.ReadOnly : MaintenanceMode.Full,
                StartsAt = ParseTime(parse.GetValue(startsAt), "--starts-at"),
                EndsAt = ParseTime(untilText, "--until"),
                Duration = duration,
                AllowedNetworks = parse.GetValue(allow) ?? [],
                ExpectedVersion = parse.GetValue(expectedVersion),
                Actor = MaintenanceActor.Cli(),
            };

            await using var client = cli.CreateTarget(target, parse);
            await CliContext.EnsureKnownAsync(client, application, app.AllowNew(parse), ct).ConfigureAwait(false);
            var before = await client.GetStatusAsync(application, ct).ConfigureAwait(false);
            var result = await client.EnableAsync(request, waitFor, ct).ConfigureAwait(false);
            var already = before.Own.IsActiveAt(before.AsOf) ? Output.HumanOutput.AlreadyOn(before.Own) : string.Empty;
            await cli.WriteSwitchResultAsync(parse.GetValue(json), result, already + Output.HumanOutput.Enabled(result.State, cli.Time.GetUtcNow())).ConfigureAwait(false);
        }));
        return command;
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
}
