using System.CommandLine;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary>Options several commands share, spelled and described once.</summary>
internal static class CommonOptions
{
    public static Option<string> AppFilter(Command command)
    {
        var option = new Option<string>("--app", "-a") { Description = "Only this application's entries ('*' for the environment-wide ones); default all." };
        command.Options.Add(option);
        return option;
    }

    public static Option<string> Reason(Command command)
    {
        var option = new Option<string>("--reason", "-r") { Description = $"Why (required; at most {MaintenanceRules.MaxReasonLength} characters, one line). Recorded in the audit trail.", Required = true };
        command.Options.Add(option);
        return option;
    }

    public static Option<bool> Json(Command command)
    {
        var option = new Option<bool>("--json") { Description = "Print JSON instead of a sentence." };
        command.Options.Add(option);
        return option;
    }

    public static Option<long?> ExpectedVersion(Command command)
    {
        var option = new Option<long?>("--expected-version") { Description = "Change only if the state is still at this version (from status --json); otherwise exit 1 and change nothing." };
        command.Options.Add(option);
        return option;
    }

    public static Option<string> Wait(Command command)
    {
        var option = new Option<string>("--wait", "-w")
        {
            Description = $"Return only once every live instance of the application ('*': all) applied the change and drained (requests in flight finished, long-lived connections closed, background work paused or resumed); give the longest wait (default {MaintenanceDuration.Format(MaintenanceRules.DefaultWait)}, at most {MaintenanceRules.MaxWait.TotalMinutes:0}m). Exits {ExitCodes.NotConfirmed} naming each instance that did not confirm.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        command.Options.Add(option);
        return option;
    }

    /// <summary>The wait asked for: <see langword="null"/> without <c>--wait</c>, the default with <c>--wait</c> alone.</summary>
    public static TimeSpan? ParseWait(ParseResult parse, Option<string> option, IReadOnlyList<string> arguments)
    {
        if (parse.GetResult(option) is null)
        {
            return null;
        }

        // --wait= (an unset variable, as in --wait="$WAIT") is a mistake, not a request for the default.
        var text = parse.GetValue(option);
        if ((text is not null && string.IsNullOrWhiteSpace(text)) || arguments.Any(a => a.Trim() is "--wait=" or "-w=" or "--wait:" or "-w:"))
        {
            throw CliException.Usage("--wait: the value is empty; give how long to wait (e.g. 60s, 2m), or write --wait alone for 60s.");
        }

        if (text is null)
        {
            return MaintenanceRules.DefaultWait;
        }

        if (text.Trim() is ['-', ..] or "0" or "0s" or "0m" or "0h")
        {
            throw CliException.Usage($"--wait: '{MaintenanceText.Sanitize(text)}' is not positive; give how long to wait (e.g. 60s, 2m), or leave --wait out to return without waiting.");
        }

        var wait = ParseDuration(text, "--wait");
        return MaintenanceRules.TryValidateWait(wait, out var error) ? wait : throw CliException.Usage($"--wait: {error}");
    }

    /// <summary>A duration as operators write it (<c>30m</c>); a bare number is refused: is 15 minutes or seconds?</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        if (!MaintenanceRules.TryRequireUnit(text, out var unitError))
        {
            throw CliException.Usage($"{option}: {unitError}");
        }

        return MaintenanceDuration.TryParse(text, out var value, out var error) ? value : throw CliException.Usage($"{option}: {error}");
    }
}
