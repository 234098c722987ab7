using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>
/// Validates <see cref="PostgreSqlStoreOptions"/> at start-up (<c>ValidateOnStart</c>), naming the configuration key of
/// each problem and saying what is wrong in its own words: never Npgsql's raw message, never a value (a connection
/// string holds a password).
/// </summary>
internal sealed partial class PostgreSqlStoreOptionsValidator(bool requireConnectionString) : IValidateOptions<PostgreSqlStoreOptions>
{
    private const string Section = "MaintenanceMode:PostgreSql";

    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (requireConnectionString)
            {
                errors.Add($"The PostgreSQL connection string is missing: set '{PostgreSqlStoreOptions.ConnectionStringKey}' (environment variable 'MaintenanceMode__PostgreSql__ConnectionString'), pass it to UsePostgreSql(...), or register an NpgsqlDataSource.");
            }
        }
        else if (CheckConnectionString(options.ConnectionString) is { } problem)
        {
            errors.Add($"'{PostgreSqlStoreOptions.ConnectionStringKey}' is not a valid PostgreSQL connection string: {problem}. See https://www.npgsql.org/doc/connection-string-parameters.html.");
        }

        CheckIdentifier(errors, nameof(options.Schema), options.Schema);
        CheckIdentifier(errors, nameof(options.StateTable), options.StateTable);
        CheckIdentifier(errors, nameof(options.AuditTable), options.AuditTable);
        CheckIdentifier(errors, nameof(options.ChannelName), options.ChannelName);
        CheckIdentifier(errors, nameof(options.InstancesTable), options.InstancesTable);
        CheckIdentifier(errors, nameof(options.InstancesChannelName), options.InstancesChannelName);
        if (options.InstancesTable == options.StateTable || options.InstancesTable == options.AuditTable)
        {
            errors.Add($"'{Section}:{nameof(options.InstancesTable)}' must name a table of its own (was '{options.InstancesTable}', the name of another maintenance table).");
        }

        if (options.InstancesChannelName == options.ChannelName)
        {
            errors.Add($"'{Section}:{nameof(options.InstancesChannelName)}' must differ from '{Section}:{nameof(options.ChannelName)}' (both were '{options.ChannelName}'): instance reports would wake every instance's state reload.");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"'{Section}:{nameof(options.PollInterval)}' must be positive (was {options.PollInterval}).");
        }

        if (options.MaxReconnectDelay <= TimeSpan.Zero)
        {
            errors.Add($"'{Section}:{nameof(options.MaxReconnectDelay)}' must be positive (was {options.MaxReconnectDelay}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>What is wrong with <paramref name="connectionString"/>, or <see langword="null"/>. Names keys, never values.</summary>
    internal static string? CheckConnectionString(string connectionString)
    {
        var pairs = new DbConnectionStringBuilder();
        try
        {
            pairs.ConnectionString = connectionString;
        }
        catch (ArgumentException ex)
        {
            var at = AtIndex().Match(ex.Message);
            return "it is not a list of key=value pairs separated by ';'"
                + (at.Success ? string.Create(CultureInfo.InvariantCulture, $" (the problem starts at character {int.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture) + 1})") : string.Empty)
                + "; quote a value that contains ';' or a quote";
        }

        var npgsql = new NpgsqlConnectionStringBuilder();
        foreach (string key in pairs.Keys)
        {
            try
            {
                npgsql[key] = pairs[key];
            }
            catch (ArgumentException ex) when (ex.InnerException is KeyNotFoundException)
            {
                return $"'{key}' is not a keyword Npgsql knows";
            }
            catch (ArgumentException)
            {
                return $"the value of '{key}' is not valid for that keyword";
            }
        }

        return string.IsNullOrWhiteSpace(npgsql.Host) ? "it names no server (add Host=<server>)" : null;
    }

    private static void CheckIdentifier(List<string> errors, string name, string? value)
    {
        if (value is null || !IdentifierPattern().IsMatch(value))
        {
            errors.Add($"'{Section}:{name}' must be a lower-case PostgreSQL identifier (letters a-z, digits, '_', at most 63 characters, not starting with a digit); was '{value}'.");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"index (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex AtIndex();
}
