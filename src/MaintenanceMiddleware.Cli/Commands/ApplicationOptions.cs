using System.CommandLine;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary>
/// Which application a switch or a status is about: <c>--app NAME</c> (<c>-a</c>) or <c>--all</c> (the environment-wide
/// entry <c>*</c>), exactly one of them; and <c>--new-app</c> to switch a name the store has never seen.
/// </summary>
internal sealed class ApplicationOptions
{
    public ApplicationOptions(Command command, bool newApp)
    {
        command.Options.Add(App);
        command.Options.Add(All);
        if (newApp)
        {
            NewApp = new Option<bool>("--new-app") { Description = "Allow an application the store has never seen (no stored state, no audit entry, no instance reporting it); otherwise a typo is refused." };
            command.Options.Add(NewApp);
        }
    }

    public Option<string> App { get; } = new("--app", "-a") { Description = "The application (as the app's MaintenanceMode:ApplicationName). Required unless --all." };

    public Option<bool> All { get; } = new("--all") { Description = "The environment-wide entry '*': every application at once." };

    public Option<bool>? NewApp { get; }

    /// <summary>The application named, or <see cref="MaintenanceState.AllApplications"/> for <c>--all</c>; exit 2 on both or neither.</summary>
    public string Resolve(ParseResult parse)
    {
        var app = parse.GetValue(App);
        var all = parse.GetValue(All);
        if (app is not null && all)
        {
            throw CliException.Usage("Give --app NAME or --all, not both.");
        }

        if (all)
        {
            return MaintenanceState.AllApplications;
        }

        if (app is null)
        {
            throw CliException.Usage("--app NAME is required (e.g. --app Storefront), or --all for every application (the environment-wide entry '*').");
        }

        if (app == MaintenanceState.AllApplications)
        {
            throw CliException.Usage("--app '*': write --all for every application.");
        }

        return app;
    }

    public bool AllowNew(ParseResult parse) => NewApp is not null && parse.GetValue(NewApp);
}
