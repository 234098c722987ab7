using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Authenticates a request by an API key in <c>X-Maintenance-Key</c> (or <c>Authorization: ApiKey &lt;key&gt;</c>).
/// The key is hashed and compared with every configured hash in constant time; the principal's name is the key's name.
/// </summary>
internal sealed class MaintenanceApiKeyHandler(IOptionsMonitor<MaintenanceApiKeyOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : AuthenticationHandler<MaintenanceApiKeyOptions>(options, loggerFactory, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryGetPresentedKey(out var presented, out var failure))
        {
            if (failure is null)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            MaintenanceLog.ApiKeyRejected(Logger, failure);
            return Task.FromResult(AuthenticateResult.Fail(failure));
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        string? matched = null;

        // Compare against every key without stopping early, so timing does not tell which key (or whether any) matched.
        foreach (var (name, key) in Options.Keys)
        {
            if (key.Hash is not { } hex || !MaintenanceApiKeyHash.IsValidHash(hex) || Convert.FromHexString(hex, expected, out _, out _) != System.Buffers.OperationStatus.Done)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(presentedHash, expected))
            {
                matched ??= name;
            }
        }

        if (matched is null)
        {
            MaintenanceLog.ApiKeyRejected(Logger, "the key matches no configured key");
            return Task.FromResult(AuthenticateResult.Fail("Invalid maintenance API key."));
        }

        MaintenanceLog.ApiKeyAccepted(Logger, matched);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, matched), new Claim(MaintenanceApiKeyDefaults.KeyNameClaimType, matched)],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{MaintenanceApiKeyDefaults.AuthorizationHeaderScheme} header=\"{Options.HeaderName}\"";
        return base.HandleChallengeAsync(properties);
    }

    private bool TryGetPresentedKey(out string key, out string? failure)
    {
        key = string.Empty;
        failure = null;
        if (Request.Headers.TryGetValue(Options.HeaderName, out var values))
        {
            if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
            {
                failure = $"the {Options.HeaderName} header must carry exactly one key";
                return false;
            }

            key = values[0]!.Trim();
            return true;
        }

        var authorization = Request.Headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value
            && value.StartsWith(MaintenanceApiKeyDefaults.AuthorizationHeaderScheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            key = value[(MaintenanceApiKeyDefaults.AuthorizationHeaderScheme.Length + 1)..].Trim();
            if (key.Length == 0)
            {
                failure = "the Authorization: ApiKey header carries no key";
                return false;
            }

            return true;
        }

        return false;
    }
}
