namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Options of the PostgreSQL state store, bound from <c>MaintenanceMode:PostgreSql</c>.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The configuration section, relative to <c>MaintenanceMode</c>.</summary>
    public const string SectionName = "PostgreSql";

    /// <summary>The full configuration key of the connection string.</summary>
    public const string ConnectionStringKey = "MaintenanceMode:PostgreSql:ConnectionString";

    /// <summary>
    /// The connection string (<c>MaintenanceMode:PostgreSql:ConnectionString</c>, or the environment variable
    /// <c>MaintenanceMode__PostgreSql__ConnectionString</c>). Optional when the app registers an <c>NpgsqlDataSource</c>
    /// in dependency injection: then the store uses that one.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema holding the tables (<c>MaintenanceMode:PostgreSql:Schema</c>). Default <c>public</c>.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>The table holding one state row per application (<c>MaintenanceMode:PostgreSql:StateTable</c>). Default <c>maintenance_state</c>.</summary>
    public string StateTable { get; set; } = "maintenance_state";

    /// <summary>The append-only audit table (<c>MaintenanceMode:PostgreSql:AuditTable</c>). Default <c>maintenance_audit</c>.</summary>
    public string AuditTable { get; set; } = "maintenance_audit";

    /// <summary>
    /// The table where running instances report themselves (<c>MaintenanceMode:PostgreSql:InstancesTable</c>): one row
    /// per instance id, its report as <c>jsonb</c>, and the heartbeat stamped with the server's clock. Default
    /// <c>maintenance_instances</c>.
    /// </summary>
    public string InstancesTable { get; set; } = "maintenance_instances";

    /// <summary>
    /// The <c>LISTEN</c>/<c>NOTIFY</c> channel every instance report is announced on, so a waiter (<c>--wait</c>) is told
    /// at once (<c>MaintenanceMode:PostgreSql:InstancesChannelName</c>). Default <c>maintenance_instances_changed</c>.
    /// </summary>
    public string InstancesChannelName { get; set; } = "maintenance_instances_changed";

    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel every change is announced on (<c>MaintenanceMode:PostgreSql:ChannelName</c>). Default <c>maintenance_state_changed</c>.</summary>
    public string ChannelName { get; set; } = "maintenance_state_changed";

    /// <summary>
    /// The safety poll (<c>MaintenanceMode:PostgreSql:PollInterval</c>): how long an instance waits without a notification
    /// before it re-reads the state anyway, over its listening connection, which also proves that connection alive.
    /// Changes arrive by <c>LISTEN</c>/<c>NOTIFY</c> at once; between notifications and these polls an idle instance sends
    /// no query. Default 30 seconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the schema and tables are created before the first write (<c>MaintenanceMode:PostgreSql:CreateSchema</c>);
    /// a read creates nothing (before the first write there is no state). Default
    /// <see langword="true"/>. Set <see langword="false"/> where the application's database user may not create tables, and
    /// run <c>maintenance migrate</c> with a privileged user instead.
    /// </summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>
    /// The longest wait between reconnection attempts of the listening connection
    /// (<c>MaintenanceMode:PostgreSql:MaxReconnectDelay</c>); attempts start after 100 ms and double. Default 2 seconds.
    /// </summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);
}
