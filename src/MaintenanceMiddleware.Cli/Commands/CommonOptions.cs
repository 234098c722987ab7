using System.CommandLine;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary>Options several commands share, spelled and described once.</summary>
internal static class CommonOptions
{
    public static Option<string> App(Command command, string? defaultValue)
    {
        var option = new Option<string>("--app")
        {
            Description = defaultValue is null
                ? "Only this application's entries ('*' for the environment-wide ones); default all."
                : "The application, or '*' for all applications (the environment-wide switch). Default '*'.",
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        command.Options.Add(option);
        return option;
    }

    public static Option<string> Reason(Command command)
    {
        var option = new Option<string>("--reason") { Description = $"Why (required; at most {MaintenanceRules.MaxReasonLength} characters, one line). Recorded in the audit trail.", Required = true };
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
}
