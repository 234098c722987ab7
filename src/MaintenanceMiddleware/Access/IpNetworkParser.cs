using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MaintenanceMiddleware;

/// <summary>
/// The one parser of allowlist entries: configuration (<c>MaintenanceMode:AllowedNetworks</c>), a window's extra
/// networks given to the service, the HTTP endpoints and the CLI's <c>--allow</c> all go through it, so an entry
/// means the same everywhere. Messages name the entry; the caller adds where it came from
/// (<c>MaintenanceMode:AllowedNetworks:2: ...</c>).
/// </summary>
/// <remarks>
/// Strict on purpose: <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also reads legacy IPv4 forms
/// (<c>127.1</c>, <c>2130706433</c>, <c>0x7f.1</c>, <c>010.0.0.1</c> read as octal), brackets, ports and zone ids.
/// In a security list an entry that means something other than what it looks like is a hole, so only dotted quads
/// (four decimal parts 0-255) and standard IPv6 text are accepted.
/// </remarks>
internal static class IpNetworkParser
{
    private const int MappedPrefix = 96;

    private static readonly SearchValues<char> s_ipv6Chars = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>
    /// Parses an IP address (<c>10.0.0.7</c>, <c>2001:db8::1</c>) or a CIDR range (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>)
    /// into a network. A single address becomes a /32 or /128. IPv4-mapped IPv6 input (<c>::ffff:10.1.2.3</c>,
    /// <c>::ffff:127.0.0.0/104</c>) is stored as IPv4 (<c>10.1.2.3/32</c>, <c>127.0.0.0/8</c>), because requests from
    /// mapped addresses are compared as IPv4.
    /// </summary>
    public static bool TryParse(string? value, out IPNetwork network, out string error)
    {
        network = default;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "An empty entry is not an IP address or CIDR range.";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(text, addressText, out var address, out error))
        {
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && !TryParsePrefix(text, text.AsSpan(slash + 1), maxPrefix, out prefix, out error))
        {
            return false;
        }

        var masked = new IPNetwork(Mask(address, prefix), prefix);
        if (!masked.BaseAddress.Equals(address))
        {
            // IPNetwork would mask host bits away silently ("10.0.0.1/8" becomes 10.0.0.0/8); an operator who wrote
            // that may have meant one host, so say which range they meant instead of guessing.
            error = $"'{MaintenanceText.Sanitize(text)}' has host bits set: write {Normalise(masked)} for the range, or the address alone for one host.";
            return false;
        }

        network = Normalise(masked);
        error = string.Empty;
        return true;
    }

    private static bool TryParseAddress(string text, string addressText, out IPAddress address, out string error)
    {
        address = IPAddress.None;
        var zone = addressText.IndexOf('%', StringComparison.Ordinal);
        if (zone >= 0)
        {
            error = $"'{MaintenanceText.Sanitize(text)}' has a zone id ('{MaintenanceText.Sanitize(addressText[zone..])}'): an allowlist entry names addresses, not interfaces; write it without the zone id.";
            return false;
        }

        if (addressText.Contains(':', StringComparison.Ordinal))
        {
            var lastColon = addressText.LastIndexOf(':');
            if (addressText.AsSpan().ContainsAnyExcept(s_ipv6Chars)
                || (addressText.Contains('.', StringComparison.Ordinal) && !IsDottedQuad(addressText.AsSpan(lastColon + 1), out _))
                || !IPAddress.TryParse(addressText, out var parsed)
                || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{MaintenanceText.Sanitize(text)}' is not a valid IPv6 address or range (expected e.g. 2001:db8::1 or 2001:db8::/32, without brackets, port or zone id).";
                return false;
            }

            address = parsed;
            error = string.Empty;
            return true;
        }

        if (IsDottedQuad(addressText, out var ipv4))
        {
            address = new IPAddress(ipv4);
            error = string.Empty;
            return true;
        }

        if (IPAddress.TryParse(addressText, out var legacy) && legacy.AddressFamily == AddressFamily.InterNetwork)
        {
            var what = addressText.Length == text.Length ? $"'{MaintenanceText.Sanitize(text)}' is" : $"'{MaintenanceText.Sanitize(text)}' starts with '{MaintenanceText.Sanitize(addressText)}',";
            error = $"{what} a legacy IPv4 form (read as {legacy} here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.";
            return false;
        }

        error = $"'{MaintenanceText.Sanitize(text)}' is not a valid IP address or CIDR range (expected e.g. 10.0.0.7, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32).";
        return false;
    }

    private static bool TryParsePrefix(string text, ReadOnlySpan<char> prefixText, int maxPrefix, out int prefix, out string error)
    {
        prefix = 0;
        var digitsOnly = !prefixText.IsEmpty && prefixText.Length <= 3 && !prefixText.ContainsAnyExceptInRange('0', '9');
        if (!digitsOnly
            || (prefixText.Length > 1 && prefixText[0] == '0')
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            || prefix > maxPrefix)
        {
            error = $"'{MaintenanceText.Sanitize(text)}' has an invalid prefix length: write a whole number from 0 to {maxPrefix} after the '/' (e.g. {(maxPrefix == 32 ? "10.0.0.0/8" : "2001:db8::/32")}).";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Four decimal parts 0-255, no leading zeros (which some tools read as octal), nothing else.</summary>
    private static bool IsDottedQuad(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = new byte[4];
        var part = 0;
        foreach (var range in text.Split('.'))
        {
            var digits = text[range];
            if (part == 4
                || digits.IsEmpty
                || digits.Length > 3
                || digits.ContainsAnyExceptInRange('0', '9')
                || (digits.Length > 1 && digits[0] == '0')
                || !byte.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[part]))
            {
                return false;
            }

            part++;
        }

        return part == 4;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }

    /// <summary>An IPv4-mapped IPv6 range (<c>::ffff:127.0.0.0/104</c>) becomes the IPv4 range it covers (<c>127.0.0.0/8</c>).</summary>
    private static IPNetwork Normalise(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= MappedPrefix
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - MappedPrefix)
            : network;
}
