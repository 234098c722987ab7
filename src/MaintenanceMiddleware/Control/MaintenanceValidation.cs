using System.Net;

namespace MaintenanceMiddleware;

/// <summary>
/// IP and CIDR parsing for allowlists. The other rules moved to <see cref="MaintenanceRules"/> (State/) and
/// <see cref="MaintenanceText"/> (Diagnostics/); this one moves beside the allowlist (Access/).
/// </summary>
internal static class MaintenanceValidation
{
    /// <summary>
    /// Parses an IP address (<c>10.0.0.7</c>, <c>2001:db8::1</c>) or a CIDR range (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>)
    /// into a network. A single address becomes a /32 or /128. IPv4-mapped IPv6 input is stored as IPv4.
    /// </summary>
    public static bool TryParseNetwork(string? value, out IPNetwork network, out string error)
    {
        network = default;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "An empty entry is not an IP address or CIDR range.";
            return false;
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            if (!IPNetwork.TryParse(text, out network))
            {
                error = $"'{Sanitize(text)}' is not a valid CIDR range (expected e.g. 10.0.0.0/8 or 2001:db8::/32 with no host bits set).";
                return false;
            }

            // IPNetwork masks host bits away silently ("10.0.0.1/8" becomes 10.0.0.0/8); an operator who wrote that
            // may have meant one host, so say which range they meant instead of guessing.
            if (IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var written)
                && !written.Equals(network.BaseAddress))
            {
                error = $"'{Sanitize(text)}' has host bits set: write {network} for the range, or the address alone for one host.";
                network = default;
                return false;
            }
        }
        else
        {
            if (!IPAddress.TryParse(text, out var address) || text.Contains('%', StringComparison.Ordinal))
            {
                error = $"'{Sanitize(text)}' is not a valid IP address.";
                return false;
            }

            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Kept for <see cref="TryParseNetwork"/>; the rule is <see cref="MaintenanceText.Sanitize"/>.</summary>
    internal static string Sanitize(string value) => MaintenanceText.Sanitize(value);
}
