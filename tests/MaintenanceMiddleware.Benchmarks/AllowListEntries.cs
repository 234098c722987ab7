namespace MaintenanceMiddleware.Benchmarks;

/// <summary>
/// Allowlists of a given size for the benchmarks: disjoint networks that never touch (so 10,000 entries compile into
/// 10,000 ranges, the worst case for the lookup), none of them holding the benchmark clients (127.0.0.1, 203.0.113.9,
/// 2001:db8:ffff::9) except where a benchmark says so.
/// </summary>
internal static class AllowListEntries
{
    /// <summary><paramref name="count"/> IPv4 networks: 11.0.0.0/25, 11.0.1.0/25, 11.0.2.0/25, ...</summary>
    public static IEnumerable<string> IPv4(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var start = 0x0B000000u + ((uint)i << 8);
            yield return $"{start >> 24}.{(start >> 16) & 0xFF}.{(start >> 8) & 0xFF}.0/25";
        }
    }

    /// <summary><paramref name="count"/> IPv6 networks: 2001:db8:0:0::/64, 2001:db8:0:2::/64, 2001:db8:0:4::/64, ...</summary>
    public static IEnumerable<string> IPv6(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var block = (uint)i * 2;
            yield return $"2001:db8:{block >> 16:x}:{block & 0xFFFF:x}::/64";
        }
    }
}
