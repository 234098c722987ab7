using System.Buffers.Binary;
using System.Net;

namespace MaintenanceMiddleware;

/// <summary>
/// An allowlist compiled once into sorted, merged, disjoint address ranges, one array per family, so that
/// <see cref="Contains"/> is a binary search (O(log n), no allocation) whether the list has one entry or 10,000.
/// Immutable and safe to share.
/// </summary>
internal sealed class IpAllowList
{
    private const int IPv4Bits = 32;
    private const int IPv6Bits = 128;

    public static readonly IpAllowList Empty = new(AddressRangeSet<uint>.Empty, AddressRangeSet<UInt128>.Empty);

    private readonly AddressRangeSet<uint> _ipv4;
    private readonly AddressRangeSet<UInt128> _ipv6;

    private IpAllowList(AddressRangeSet<uint> ipv4, AddressRangeSet<UInt128> ipv6)
    {
        _ipv4 = ipv4;
        _ipv6 = ipv6;
    }

    /// <summary>How many disjoint ranges the list compiled into (overlapping and touching networks count once).</summary>
    public int Count => _ipv4.Count + _ipv6.Count;

    /// <summary>Compiles <paramref name="entries"/>; throws with a message that names the bad entry.</summary>
    /// <param name="entries">IPs and CIDR ranges.</param>
    /// <param name="source">What the entries came from, for the message (e.g. <c>MaintenanceMode:AllowedNetworks</c>).</param>
    public static IpAllowList Parse(IEnumerable<string> entries, string source)
    {
        var ipv4 = new List<(uint, uint)>();
        var ipv6 = new List<(UInt128, UInt128)>();
        Span<byte> bytes = stackalloc byte[16];
        var index = 0;
        foreach (var entry in entries)
        {
            if (!IpNetworkParser.TryParse(entry, out var network, out var error))
            {
                throw new FormatException($"{source}:{index}: {error}");
            }

            // The parser stores IPv4-mapped ranges as IPv4, so each network lands in the family it is matched in.
            network.BaseAddress.TryWriteBytes(bytes, out var written);
            if (written == 4)
            {
                ipv4.Add(AddressRangeSet<uint>.FromPrefix(BinaryPrimitives.ReadUInt32BigEndian(bytes), network.PrefixLength, IPv4Bits));
            }
            else
            {
                ipv6.Add(AddressRangeSet<UInt128>.FromPrefix(BinaryPrimitives.ReadUInt128BigEndian(bytes), network.PrefixLength, IPv6Bits));
            }

            index++;
        }

        return ipv4.Count == 0 && ipv6.Count == 0 ? Empty : new IpAllowList(AddressRangeSet<uint>.Build(ipv4), AddressRangeSet<UInt128>.Build(ipv6));
    }

    /// <summary>Combines two lists (the configured one and a window's extra networks) into one compiled list.</summary>
    public IpAllowList Combine(IpAllowList other) =>
        other.Count == 0 ? this
        : Count == 0 ? other
        : new IpAllowList(_ipv4.Union(other._ipv4), _ipv6.Union(other._ipv6));

    /// <summary>Whether <paramref name="address"/> is inside any network; IPv4-mapped IPv6 addresses are compared as IPv4.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null || Count == 0)
        {
            return false;
        }

        // TryWriteBytes copies the address out without allocating (MapToIPv4 and GetAddressBytes would allocate).
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return false;
        }

        if (written == 4)
        {
            return _ipv4.Contains(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return value >> 32 == 0xFFFFu
            ? _ipv4.Contains((uint)value)
            : _ipv6.Contains(value);
    }
}
