using System.Security.Cryptography;
using System.Runtime.InteropServices;
using System.Text;

namespace MaintenanceMiddleware;

/// <summary>
/// The file name of an instance's report: a readable prefix of its id (letters, digits, <c>.</c>, <c>-</c> and
/// <c>_</c>; anything else becomes <c>_</c>; at most <see cref="MaxPrefixLength"/> characters) and the first 16 hex
/// digits of the SHA-256 of the exact id (its UTF-16 code units), so <c>web/1</c>, <c>web\1</c>, <c>WEB-1</c> and <c>web-1</c> get files of
/// their own even on a case-insensitive file system, no id can leave the folder, and no name is too long or reserved.
/// The exact id is kept inside the file.
/// </summary>
internal static class InstanceFileName
{
    /// <summary>The longest readable prefix.</summary>
    public const int MaxPrefixLength = 40;

    /// <summary>The extension of a report file.</summary>
    public const string Extension = ".json";

    /// <summary>The file name (without folder) of the report of <paramref name="instanceId"/>: <c>web-1-0123456789abcdef.json</c>.</summary>
    public static string Of(string instanceId)
    {
        var prefix = new StringBuilder(MaxPrefixLength);
        foreach (var c in instanceId)
        {
            if (prefix.Length == MaxPrefixLength)
            {
                break;
            }

            prefix.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && prefix.Length > 0) ? c : '_');
        }

        if (prefix.Length == 0)
        {
            prefix.Append("instance");
        }

        // The UTF-16 code units as they are: every distinct string, lone surrogates included, hashes apart.
        var hash = SHA256.HashData(MemoryMarshal.AsBytes(instanceId.AsSpan()));
        return $"{prefix}-{Convert.ToHexStringLower(hash, 0, 8)}{Extension}";
    }
}
