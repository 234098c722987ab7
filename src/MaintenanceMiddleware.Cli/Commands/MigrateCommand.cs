using System.CommandLine;
using MaintenanceMiddleware.Cli.Targets;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance migrate</c>: creates the PostgreSQL schema and tables (idempotent).</summary>
internal static class MigrateCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("migrate", "Creates the PostgreSQL schema and tables (idempotent), for databases where the app's user may not create tables. The other verbs never create them.\nExample: maintenance migrate --postgres \"Host=db;Username=admin;Database=shop\" --schema maintenance");
        var postgres = new Option<string>("--postgres") { Description = $"The PostgreSQL connection string (or {CliContext.PostgresVariable})." };
        var schema = new Option<string>("--schema") { Description = "The schema holding the tables (default public)." };
        command.Options.Add(postgres);
        command.Options.Add(schema);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var connectionString = parse.GetValue(postgres) ?? cli.Environment(CliContext.PostgresVariable);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw CliException.Usage($"migrate needs --postgres <connection string> (or {CliContext.PostgresVariable}); the file store needs no migration.");
            }

            var (store, dataSource) = TargetFactory.CreatePostgreSqlStore(connectionString, parse.GetValue(schema), cli.Time);
            await using (dataSource.ConfigureAwait(false))
            await using (store.ConfigureAwait(false))
            {
                await store.MigrateAsync(ct).ConfigureAwait(false);
            }

            await cli.Out.WriteLineAsync($"PostgreSQL schema '{parse.GetValue(schema) ?? "public"}' is ready for maintenance state.").ConfigureAwait(false);
        }));
        return command;
    }
}
