using System.CommandLine;
using System.Globalization;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance enable</c>: switches maintenance on (at once or for a scheduled window) and records why.</summary>
internal static class EnableCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("enable", "Switches maintenance on (at once or for a scheduled window) and records why.");
        var target = new TargetOptions(command);
        var app = CommonOptions.App(command, "*");
        var reason = CommonOptions.Reason(command);
        var message = new Option<string>("--message", "-m") { Description = $"What visitors and API clients are told (optional; at most {MaintenanceRules.MaxReasonLength} characters, one line). The reason stays internal." };
        var forOption = new Option<string>("--for") { Description = "How long the window lasts: 90s, 30m, 2h, 1d, 1h30m." };
        var until = new Option<string>("--until") { Description = "When the window ends (ISO 8601, e.g. 2026-11-25T14:00Z; UTC when no offset is given)." };
        var startsAt = new Option<string>("--starts-at") { Description = "When the window starts (ISO 8601); default now." };
        var allow = new Option<string[]>("--allow") { Description = "An IP or CIDR let through during this window, on top of the configured allowlist; repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var readOnly = new Option<bool>("--read-only") { Description = "Read-only maintenance: GET, HEAD and OPTIONS still reach the app." };
        var expectedVersion = CommonOptions.ExpectedVersion(command);
        var json = CommonOptions.Json(command);
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
            var state = await client.EnableAsync(request, ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), state, CliJsonContext.Default.MaintenanceState, () => Output.HumanOutput.Enabled(state, cli.Time.GetUtcNow())).ConfigureAwait(false);
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
