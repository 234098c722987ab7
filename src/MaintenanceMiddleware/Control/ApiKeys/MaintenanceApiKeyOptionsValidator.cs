using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>Checks the keys at start-up; every failure names the configuration entry.</summary>
/// <param name="scheme">The scheme whose options are checked.</param>
/// <param name="keysPath">The configuration path the keys bind from, e.g. <c>MaintenanceMode:ApiKeys</c>.</param>
internal sealed class MaintenanceApiKeyOptionsValidator(string scheme, string keysPath) : IValidateOptions<MaintenanceApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, MaintenanceApiKeyOptions options)
    {
        if (!string.Equals(name, scheme, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var prefix = keysPath;
        var failures = new List<string>();
        if (options.Keys.Count == 0)
        {
            failures.Add($"{prefix}: no API key is configured for the '{scheme}' scheme; add {prefix}:<name>:Hash (the output of 'maintenance hash-key').");
        }

        foreach (var (keyName, key) in options.Keys)
        {
            if (!MaintenanceApiKeyNames.TryValidate(keyName, out var error))
            {
                failures.Add($"{prefix}:{MaintenanceText.Sanitize(keyName)}: {error}");
            }

            if (!MaintenanceApiKeyHash.IsValidHash(key?.Hash))
            {
                failures.Add($"{prefix}:{MaintenanceText.Sanitize(keyName)}:Hash: must be the SHA-256 of the key as 64 hexadecimal characters (print it with 'maintenance hash-key'); never the key itself.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.HeaderName))
        {
            failures.Add($"{scheme}: HeaderName is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
