using System.Security.Cryptography;
using System.Text;

namespace MaintenanceMiddleware;

/// <summary>Hashes and generates maintenance API keys. Configuration keeps only hashes, never keys.</summary>
public static class MaintenanceApiKeyHash
{
    private static readonly System.Buffers.SearchValues<char> s_hex = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The SHA-256 of <paramref name="key"/> (UTF-8) as 64 lowercase hexadecimal characters, as configuration expects it.</summary>
    public static string Compute(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>A new random key: 32 bytes from a cryptographic generator, base64url-encoded (43 characters).</summary>
    public static string GenerateKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Whether <paramref name="hash"/> looks like a SHA-256 in hexadecimal (64 characters 0-9, a-f, A-F).</summary>
    public static bool IsValidHash(string? hash) => hash is { Length: 64 } && hash.AsSpan().ContainsAnyExcept(s_hex) is false;
}
