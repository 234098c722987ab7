using System.CommandLine;
using System.Text.Json;

namespace MaintenanceMiddleware.Cli.Commands;

/// <summary><c>maintenance hash-key</c>: prints the SHA-256 of an API key for configuration, or generates a key.</summary>
internal static class HashKeyCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("hash-key", "Prints the SHA-256 hash of an API key for MaintenanceMode:ApiKeys:<name>:Hash. Reads the key from the argument, from standard input, or generates one with --generate.\nExample: maintenance hash-key --generate --name pipeline");
        var key = new Argument<string>("key") { Description = "The key to hash; omit to read it from standard input (keeps it out of shell history).", Arity = ArgumentArity.ZeroOrOne };
        var generate = new Option<bool>("--generate") { Description = "Generate a new random key and print it with its hash." };
        var name = new Option<string>("--name") { Description = "The key's name, recorded in the audit trail (default pipeline).", DefaultValueFactory = _ => "pipeline" };
        var json = CommonOptions.Json(command);
        command.Arguments.Add(key);
        command.Options.Add(generate);
        command.Options.Add(name);
        command.SetAction((parse, ct) => cli.RunGuardedAsync(async () =>
        {
            var keyName = parse.GetValue(name)!;
            if (!MaintenanceApiKeyNames.TryValidate(keyName, out var nameError))
            {
                throw CliException.Usage($"--name: {nameError}");
            }

            var value = parse.GetValue(key);
            var generated = parse.GetValue(generate);
            if (generated && value is not null)
            {
                throw CliException.Usage("Give a key or --generate, not both.");
            }

            if (generated)
            {
                value = MaintenanceApiKeyHash.GenerateKey();
            }
            else if (value is null || value == "-")
            {
                value = (await cli.In.ReadLineAsync(ct).ConfigureAwait(false))?.Trim();
            }

            if (string.IsNullOrEmpty(value))
            {
                throw CliException.Usage("No key given: pass it as an argument, pipe it on standard input, or use --generate.");
            }

            var hash = MaintenanceApiKeyHash.Compute(value);
            var configurationKey = $"{MaintenanceApiKeyDefaults.ConfigurationSection}:{keyName}:Hash";
            if (parse.GetValue(json))
            {
                var output = new ApiKeyHashOutput { Key = generated ? value : null, Hash = hash, ConfigurationKey = configurationKey };
                await cli.Out.WriteLineAsync(JsonSerializer.Serialize(output, CliJsonContext.Default.ApiKeyHashOutput)).ConfigureAwait(false);
                return;
            }

            if (generated)
            {
                await cli.Out.WriteLineAsync($"Key:  {value}   (store it in the pipeline's secrets as {CliContext.ApiKeyVariable}; it is not shown again)").ConfigureAwait(false);
            }

            await cli.Out.WriteLineAsync($"Hash: {hash}").ConfigureAwait(false);
            await cli.Out.WriteLineAsync($"Configuration: {configurationKey} = {hash}").ConfigureAwait(false);
            await cli.Out.WriteLineAsync($"Environment:   {configurationKey.Replace(":", "__", StringComparison.Ordinal)}={hash}").ConfigureAwait(false);
        }));
        return command;
    }
}
