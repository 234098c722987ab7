using System.CommandLine;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary>The target options every verb but migrate and hash-key takes.</summary>
internal sealed class TargetOptions
{
    public TargetOptions(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Url);
        command.Options.Add(ApiKey);
        command.Options.Add(Postgres);
        command.Options.Add(Schema);
        command.Options.Add(Redis);
        command.Options.Add(RedisPrefix);
        command.Options.Add(Create);
    }

    public Option<string> File { get; } = new("--file") { Description = $"The state file of the file store (the app's MaintenanceMode:FileStore:Path), or {CliContext.FileVariable}." };

    public Option<bool> Create { get; } = new("--create") { Description = "Create the --file state file when it does not exist yet (its folder must exist); without it a missing file is refused, as a typo." };

    public Option<string> Url { get; } = new("--url") { Description = $"The maintenance endpoints of a running app, e.g. https://backoffice.example.com/_maintenance, or {CliContext.UrlVariable}." };

    public Option<string> ApiKey { get; } = new("--api-key") { Description = $"The API key for --url; better: set {CliContext.ApiKeyVariable}." };

    public Option<string> Postgres { get; } = new("--postgres") { Description = $"A PostgreSQL connection string, or {CliContext.PostgresVariable}." };

    public Option<string> Schema { get; } = new("--schema") { Description = "The PostgreSQL schema holding the tables (default public)." };

    public Option<string> Redis { get; } = new("--redis") { Description = $"A Redis connection string (StackExchange.Redis syntax, e.g. redis.internal:6379,password=...), or {CliContext.RedisVariable}." };

    public Option<string> RedisPrefix { get; } = new("--redis-prefix") { Description = "The key prefix the apps use (their MaintenanceMode:Redis:KeyPrefix; default maintenance)." };
}
