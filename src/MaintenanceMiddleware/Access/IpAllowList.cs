using System.Net;
using System.Net.Sockets;

namespace MaintenanceMiddleware;

/// <summary>An allowlist compiled once into <see cref="IPNetwork"/> values. Immutable and safe to share.</summary>
internal sealed class IpAllowList
{
    public static readonly IpAllowList Empty = new([]);

    private readonly IPNetwork[] _networks;

    private IpAllowList(IPNetwork[] networks) => _networks = networks;

    public int Count => _networks.Length;

    /// <summary>Compiles <paramref name="entries"/>; throws with a message that names the bad entry.</summary>
    /// <param name="entries">IPs and CIDR ranges.</param>
    /// <param name="source">What the entries came from, for the message (e.g. <c>MaintenanceMode:AllowedNetworks</c>).</param>
    public static IpAllowList Parse(IEnumerable<string> entries, string source)
    {
        var networks = new List<IPNetwork>();
        var index = 0;
        foreach (var entry in entries)
        {
            if (!IpNetworkParser.TryParse(entry, out var network, out var error))
            {
                throw new FormatException($"{source}:{index}: {error}");
            }

            networks.Add(network);
            index++;
        }

        return networks.Count == 0 ? Empty : new IpAllowList([.. networks]);
    }

    /// <summary>Combines two lists (the configured one and a window's extra networks).</summary>
    public IpAllowList Combine(IpAllowList other) =>
        other.Count == 0 ? this : Count == 0 ? other : new IpAllowList([.. _networks, .. other._networks]);

    /// <summary>Whether <paramref name="address"/> is inside any network; IPv4-mapped IPv6 addresses are compared as IPv4.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null || _networks.Length == 0)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsIPv4(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;
}
