using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.PostgreSql;

/// <summary>Validates <see cref="PostgreSqlStoreOptions"/> at start-up, naming the configuration key of each problem.</summary>
internal sealed class PostgreSqlStoreOptionsValidator(bool requireConnectionString) : IValidateOptions<PostgreSqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var errors = options.Validate(requireConnectionString);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
