namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Options of the PostgreSQL state store, bound from <c>MaintenanceMode:PostgreSql</c>.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The configuration section, relative to <c>MaintenanceMode</c>.</summary>
    public const string SectionName = "PostgreSql";

    /// <summary>The connection string (<c>MaintenanceMode:PostgreSql:ConnectionString</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema holding the tables (<c>MaintenanceMode:PostgreSql:Schema</c>). Default <c>public</c>.</summary>
    public string Schema { get; set; } = "public";
}
