using System.Text.RegularExpressions;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Options of the PostgreSQL state store, bound from <c>MaintenanceMode:PostgreSql</c>.</summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>The configuration section, relative to <c>MaintenanceMode</c>.</summary>
    public const string SectionName = "PostgreSql";

    /// <summary>The full configuration key of the connection string.</summary>
    public const string ConnectionStringKey = "MaintenanceMode:PostgreSql:ConnectionString";

    /// <summary>The connection string (<c>MaintenanceMode:PostgreSql:ConnectionString</c>, or the environment variable <c>MaintenanceMode__PostgreSql__ConnectionString</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema holding the tables (<c>MaintenanceMode:PostgreSql:Schema</c>). Default <c>public</c>.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>The table holding one state row per application (<c>MaintenanceMode:PostgreSql:StateTable</c>). Default <c>maintenance_state</c>.</summary>
    public string StateTable { get; set; } = "maintenance_state";

    /// <summary>The append-only audit table (<c>MaintenanceMode:PostgreSql:AuditTable</c>). Default <c>maintenance_audit</c>.</summary>
    public string AuditTable { get; set; } = "maintenance_audit";

    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel every change is announced on (<c>MaintenanceMode:PostgreSql:ChannelName</c>). Default <c>maintenance_state_changed</c>.</summary>
    public string ChannelName { get; set; } = "maintenance_state_changed";

    /// <summary>
    /// How long the listening connection waits for a notification before re-reading the state anyway and checking that
    /// the connection is alive (<c>MaintenanceMode:PostgreSql:PollInterval</c>). A safety net only. Default 30 seconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the schema and tables are created when first used (<c>MaintenanceMode:PostgreSql:CreateSchema</c>). Default
    /// <see langword="true"/>. Set <see langword="false"/> where the application's database user may not create tables, and
    /// run <c>maintenance migrate</c> with a privileged user instead.
    /// </summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>
    /// The longest wait between reconnection attempts of the listening connection
    /// (<c>MaintenanceMode:PostgreSql:MaxReconnectDelay</c>); attempts start after 100 ms and double. Default 2 seconds.
    /// </summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Returns the problems of these options (empty when valid), each naming its configuration key.</summary>
    internal List<string> Validate(bool requireConnectionString)
    {
        var errors = new List<string>();
        if (requireConnectionString && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"The PostgreSQL connection string is missing: set '{ConnectionStringKey}' (environment variable 'MaintenanceMode__PostgreSql__ConnectionString') or pass it to UsePostgreSql(...).");
        }

        CheckIdentifier(errors, nameof(Schema), Schema);
        CheckIdentifier(errors, nameof(StateTable), StateTable);
        CheckIdentifier(errors, nameof(AuditTable), AuditTable);
        CheckIdentifier(errors, nameof(ChannelName), ChannelName);
        if (PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"'MaintenanceMode:PostgreSql:{nameof(PollInterval)}' must be positive (was {PollInterval}).");
        }

        if (MaxReconnectDelay <= TimeSpan.Zero)
        {
            errors.Add($"'MaintenanceMode:PostgreSql:{nameof(MaxReconnectDelay)}' must be positive (was {MaxReconnectDelay}).");
        }

        return errors;
    }

    private static void CheckIdentifier(List<string> errors, string name, string? value)
    {
        if (value is null || !IdentifierPattern().IsMatch(value))
        {
            errors.Add($"'MaintenanceMode:PostgreSql:{name}' must be a lower-case PostgreSQL identifier (letters a-z, digits, '_', at most 63 characters, not starting with a digit); was '{value}'.");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
