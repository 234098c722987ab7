using System.Buffers.Text;
using System.Security.Cryptography;

namespace MaintenanceMiddleware;

/// <summary>
/// The live bypass links of one snapshot (this application's and the environment-wide ones), compiled for the request
/// path: a presented <c>{id}.{token}</c> is checked by hashing the token with SHA-256 and comparing in constant time
/// with the stored hash. A memory lookup, never a store call; no key ring to share between instances.
/// </summary>
internal sealed class BypassLinkSet
{
    /// <summary>Random bytes in a token (256 bits), and its length as base64url.</summary>
    public const int TokenBytes = 32;

    public const int TokenChars = 43;

    /// <summary>Hex characters in a link id.</summary>
    public const int IdChars = 16;

    private const int IdBytes = IdChars / 2;

    public static readonly BypassLinkSet Empty = new([]);

    private readonly Entry[] _entries;

    private BypassLinkSet(Entry[] entries)
    {
        _entries = entries;
        foreach (var entry in entries)
        {
            if (NextExpiry is null || entry.ExpiresAt < NextExpiry)
            {
                NextExpiry = entry.ExpiresAt;
            }
        }
    }

    public bool IsEmpty => _entries.Length == 0;

    /// <summary>When the first of these links expires: the snapshot is recomputed then.</summary>
    public DateTimeOffset? NextExpiry { get; }

    public static BypassLinkSet From(DateTimeOffset now, params ReadOnlySpan<MaintenanceState> states)
    {
        List<Entry>? entries = null;
        foreach (var state in states)
        {
            foreach (var link in state.BypassLinks)
            {
                if (link.IsLiveAt(now) && TryDecodeHash(link.TokenHash, out var hash) && !(entries?.Exists(e => e.Link.Id == link.Id) ?? false))
                {
                    (entries ??= []).Add(new Entry(link, hash));
                }
            }
        }

        return entries is null ? Empty : new BypassLinkSet([.. entries]);
    }

    /// <summary>
    /// The link that <paramref name="credential"/> (<c>{id}.{token}</c>, from the link's path or the cookie) proves, if
    /// it is live at <paramref name="now"/>. Anything malformed, unknown, expired or with the wrong token is simply no
    /// link: the caller shows the maintenance page.
    /// </summary>
    public bool TryVerify(ReadOnlySpan<char> credential, DateTimeOffset now, out MaintenanceBypassLink? link)
    {
        link = null;
        var dot = credential.IndexOf('.');
        if (dot <= 0 || credential.Length - dot - 1 != TokenChars)
        {
            return false;
        }

        var id = credential[..dot];
        Entry? match = null;
        foreach (var entry in _entries)
        {
            if (id.SequenceEqual(entry.Link.Id))
            {
                match = entry;
                break;
            }
        }

        Span<byte> token = stackalloc byte[TokenBytes];
        if (match is null || now >= match.ExpiresAt
            || Base64Url.DecodeFromChars(credential[(dot + 1)..], token, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != TokenBytes)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(token, hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, match.Hash))
        {
            return false;
        }

        link = match.Link;
        return true;
    }

    /// <summary>A new link id (16 hex characters) and token (32 random bytes, base64url), and the token's hash to store.</summary>
    public static (string Id, string Token, string Hash) NewCredential()
    {
        Span<byte> token = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(token);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(token, hash);
        return (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes)), Base64Url.EncodeToString(token), Base64Url.EncodeToString(hash));
    }

    private static bool TryDecodeHash(string text, out byte[] hash)
    {
        hash = new byte[SHA256.HashSizeInBytes];
        return Base64Url.DecodeFromChars(text, hash, out _, out var written) == System.Buffers.OperationStatus.Done && written == hash.Length;
    }

    private sealed class Entry(MaintenanceBypassLink link, byte[] hash)
    {
        public MaintenanceBypassLink Link { get; } = link;

        public DateTimeOffset ExpiresAt { get; } = link.ExpiresAt;

        public byte[] Hash { get; } = hash;
    }
}
