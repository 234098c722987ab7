using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Redis;

/// <summary>Validates <see cref="RedisStoreOptions"/> at start-up, naming the configuration key of each problem.</summary>
internal sealed class RedisStoreOptionsValidator(bool requireConnectionString) : IValidateOptions<RedisStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        var errors = options.Validate(requireConnectionString);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
