using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses PostgreSQL as the maintenance state store: one switch for many instances.</summary>
public static class PostgreSqlMaintenanceModeBuilderExtensions
{
    /// <summary>
    /// Keeps maintenance state in PostgreSQL, connecting with the connection string from configuration
    /// (<c>MaintenanceMode:PostgreSql:ConnectionString</c>, or the environment variable
    /// <c>MaintenanceMode__PostgreSql__ConnectionString</c>) or, when that is not set, through the
    /// <see cref="NpgsqlDataSource"/> the app registered in dependency injection (which the app owns). Options are bound
    /// from <c>MaintenanceMode:PostgreSql</c>; <paramref name="configure"/> runs after binding. Start-up fails with a
    /// message naming the key when there is neither, or when the connection string is malformed.
    /// </summary>
    public static MaintenanceModeBuilder UsePostgreSql(this MaintenanceModeBuilder builder, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPostgreSql(dataSource: null, connectionString: null, configure);
    }

    /// <summary>
    /// Keeps maintenance state in PostgreSQL, connecting with <paramref name="connectionString"/>. Other options are bound
    /// from <c>MaintenanceMode:PostgreSql</c>; <paramref name="configure"/> runs after binding.
    /// </summary>
    public static MaintenanceModeBuilder UsePostgreSql(this MaintenanceModeBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddPostgreSql(dataSource: null, connectionString, configure);
    }

    /// <summary>
    /// Keeps maintenance state in PostgreSQL through <paramref name="dataSource"/>, which the caller owns and disposes.
    /// Options are bound from <c>MaintenanceMode:PostgreSql</c> (the connection string there is ignored);
    /// <paramref name="configure"/> runs after binding.
    /// </summary>
    public static MaintenanceModeBuilder UsePostgreSql(this MaintenanceModeBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.AddPostgreSql(dataSource, connectionString: null, configure);
    }

    /// <summary>
    /// Keeps maintenance state in PostgreSQL when the connection string is configured
    /// (<c>MaintenanceMode:PostgreSql:ConnectionString</c>), and changes nothing otherwise (the embedded file store, or the
    /// store another <c>...WhenConfigured()</c> call chose), so one build of an app runs on a developer's machine with a
    /// file and on a fleet with PostgreSQL, switched by configuration alone. Built on
    /// <see cref="MaintenanceModeBuilder.UseStoreWhenConfigured"/>: two stores configured at once stop start-up.
    /// </summary>
    public static MaintenanceModeBuilder UsePostgreSqlWhenConfigured(this MaintenanceModeBuilder builder, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStoreWhenConfigured(PostgreSqlStoreOptions.SectionName, b => b.UsePostgreSql(configure));
    }

    private static MaintenanceModeBuilder AddPostgreSql(this MaintenanceModeBuilder builder, NpgsqlDataSource? dataSource, string? connectionString, Action<PostgreSqlStoreOptions>? configure)
    {
        var options = builder.Services.AddOptions<PostgreSqlStoreOptions>();
        if (builder.Configuration is not null)
        {
            options.Bind(builder.Configuration.GetSection(PostgreSqlStoreOptions.SectionName));
        }

        if (connectionString is not null)
        {
            options.Configure(o => o.ConnectionString = connectionString);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.RemoveAll<IValidateOptions<PostgreSqlStoreOptions>>();
        builder.Services.AddSingleton<IValidateOptions<PostgreSqlStoreOptions>>(sp =>
            new PostgreSqlStoreOptionsValidator(requireConnectionString: dataSource is null && !HasAppDataSource(sp)));
        builder.Services.TryAddSingleton(TimeProvider.System);

        return builder.UseStore(sp =>
        {
            // Reading the options runs the validator: a malformed connection string never reaches Npgsql.
            var storeOptions = sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>();
            var logger = sp.GetRequiredService<ILogger<PostgreSqlMaintenanceStateStore>>();
            var time = sp.GetRequiredService<TimeProvider>();
            if (dataSource is not null)
            {
                return new PostgreSqlMaintenanceStateStore(dataSource, storeOptions, logger, time);
            }

            // The connection string given for maintenance wins; else the app's own data source (Xabaril's HealthChecks.NpgSql pattern).
            return string.IsNullOrWhiteSpace(storeOptions.Value.ConnectionString)
                ? new PostgreSqlMaintenanceStateStore(sp.GetRequiredService<NpgsqlDataSource>(), storeOptions, logger, time)
                : new PostgreSqlMaintenanceStateStore(PostgreSqlConnections.CreateDataSource(storeOptions.Value.ConnectionString), ownsDataSource: true, storeOptions, logger, time);
        });
    }

    private static bool HasAppDataSource(IServiceProvider services) =>
        services.GetService<IServiceProviderIsService>()?.IsService(typeof(NpgsqlDataSource)) == true;
}
