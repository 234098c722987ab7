using System.CommandLine;
using MaintenanceMiddleware.Cli.Output;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance bypass create | list | revoke</c>: links that let a tester through maintenance for a while.</summary>
internal static class BypassCommand
{
    public static Command Create(CliContext cli) => new("bypass", "Bypass links: let a tester through maintenance for a while (signed, expiring, revocable, audited).")
    {
        CreateCommand(cli),
        ListCommand(cli),
        RevokeCommand(cli),
    };

    private static Command CreateCommand(CliContext cli)
    {
        var command = new Command("create", "Creates a bypass link and prints its URL (shown once: the token is not stored).\nExample: maintenance bypass create -a Storefront --for 2h --name \"QA Anna\" -r \"Release 42 check\" --base-url https://shop.example --file /srv/maintenance/state.json");
        var target = new TargetOptions(command);
        var app = new Option<string>("--app", "-a") { Description = "The application the link opens; '*' opens every application (only when you mean it).", Required = true };
        var forOption = new Option<string>("--for") { Description = "How long the link works: 30m, 2h (at most MaintenanceMode:BypassLinkMaxLifetime, default 24h).", Required = true };
        var name = new Option<string>("--name") { Description = $"Who the link is for, e.g. \"QA Anna\" (at most {MaintenanceRules.MaxBypassNameLength} characters).", Required = true };
        var reason = CommonOptions.Reason(command);
        var baseUrl = new Option<string>("--base-url") { Description = "The application's address (https://shop.example) to print the link absolute; otherwise its path is printed." };
        var json = CommonOptions.Json(command);
        command.Options.Add(app);
        command.Options.Add(forOption);
        command.Options.Add(name);
        command.Options.Add(baseUrl);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var lifetime = CommonOptions.ParseDuration(parse.GetValue(forOption)!, "--for");
            Uri? root = null;
            if (parse.GetValue(baseUrl) is { } text && (!Uri.TryCreate(text, UriKind.Absolute, out root) || root.Scheme is not ("http" or "https")))
            {
                throw CliException.Usage($"--base-url: '{MaintenanceText.Sanitize(text)}' is not an http(s) URL, e.g. https://shop.example.");
            }

            await using var client = cli.CreateTarget(target, parse);
            var created = await client.CreateBypassLinkAsync(
                new CreateBypassLinkRequest
                {
                    Application = parse.GetValue(app)!,
                    Name = parse.GetValue(name)!,
                    Reason = parse.GetValue(reason)!,
                    Lifetime = lifetime,
                    Actor = MaintenanceActor.Cli(),
                },
                ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), created, CliJsonContext.Default.MaintenanceBypassLinkCreated, () => BypassOutput.Url(created, root)).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command ListCommand(CliContext cli)
    {
        var command = new Command("list", "Lists the live bypass links: id, application, name, expiry, creator, first use.\nExample: maintenance bypass list -a Storefront --file /srv/maintenance/state.json");
        var target = new TargetOptions(command);
        var app = CommonOptions.AppFilter(command);
        var json = CommonOptions.Json(command);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            await using var client = cli.CreateTarget(target, parse);
            var links = await client.GetBypassLinksAsync(parse.GetValue(app), ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), links, CliJsonContext.Default.IReadOnlyListMaintenanceBypassLink, () => BypassOutput.List(links, cli.Time.GetUtcNow())).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command RevokeCommand(CliContext cli)
    {
        var command = new Command("revoke", "Ends a bypass link at once, on every instance.\nExample: maintenance bypass revoke 3f9c2a -r \"QA done\" --file /srv/maintenance/state.json");
        var target = new TargetOptions(command);
        var id = new Argument<string>("id") { Description = "The link's id, as 'bypass list' shows it." };
        var reason = new Option<string>("--reason", "-r") { Description = "Why (optional). Recorded in the audit trail." };
        var json = CommonOptions.Json(command);
        command.Arguments.Add(id);
        command.Options.Add(reason);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            await using var client = cli.CreateTarget(target, parse);
            var link = await client.RevokeBypassLinkAsync(new RevokeBypassLinkRequest { Id = parse.GetValue(id)!, Reason = parse.GetValue(reason), Actor = MaintenanceActor.Cli() }, ct).ConfigureAwait(false);
            await cli.WriteResultAsync(parse.GetValue(json), link, CliJsonContext.Default.MaintenanceBypassLink, () => BypassOutput.Revoked(link)).ConfigureAwait(false);
        }));
        return command;
    }
}
