using System.Buffers.Binary;
using System.Net;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Access;

/// <summary>
/// The compiled allowlist (merged ranges, binary search) answers exactly as the plain scan it replaced: every entry
/// parsed, a mapped address compared as IPv4, then <see cref="IPNetwork.Contains"/> on each network of the family.
/// Random lists (clustered, so ranges overlap, nest and touch) and addresses at every range edge, for both families.
/// </summary>
public class IpAllowListPropertyTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 10)]
    [InlineData(3, 200)]
    [InlineData(4, 3000)]
    [InlineData(5, 3000)]
    public void Compiled_list_answers_as_the_plain_scan(int seed, int size)
    {
        var random = new Random(seed);
        var entries = RandomEntries(random, size);
        var list = IpAllowList.Parse(entries, "test");
        var networks = ParseAll(entries);

        foreach (var address in Probes(random, networks))
        {
            Assert.True(PlainScan(networks, address) == list.Contains(address), $"seed {seed}: {address} against {size} entries");
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Combined_list_answers_as_the_plain_scan_of_both(int seed)
    {
        var random = new Random(seed);
        var configured = RandomEntries(random, 500);
        var window = RandomEntries(random, 50);
        var combined = IpAllowList.Parse(configured, "a").Combine(IpAllowList.Parse(window, "b"));
        var networks = ParseAll([.. configured, .. window]);

        foreach (var address in Probes(random, networks))
        {
            Assert.True(PlainScan(networks, address) == combined.Contains(address), $"seed {seed}: {address}");
        }
    }

    [Fact]
    public void Overlapping_and_touching_networks_compile_into_few_ranges()
    {
        var list = IpAllowList.Parse(["10.0.0.0/9", "10.128.0.0/9", "10.1.2.3", "10.0.0.0/8", "11.0.0.0/8", "2001:db8::/33", "2001:db8:8000::/33", "2001:db8::1"], "test");

        Assert.Equal(2, list.Count);
        Assert.True(list.Contains(IPAddress.Parse("11.255.255.255")));
        Assert.False(list.Contains(IPAddress.Parse("12.0.0.0")));
        Assert.True(list.Contains(IPAddress.Parse("2001:db8:ffff::1")));
    }

    [Fact]
    public void Lookup_in_a_list_of_10000_entries_allocates_nothing()
    {
        var entries = RandomEntries(new Random(42), 10_000);
        var list = IpAllowList.Parse(entries, "test");
        IPAddress[] probes = [IPAddress.Parse("10.1.2.3"), IPAddress.Parse("::ffff:10.1.2.3"), IPAddress.Parse("2001:db8::5"), IPAddress.Parse("203.0.113.9"), IPAddress.Parse("fe80::1%3")];
        foreach (var probe in probes)
        {
            list.Contains(probe);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            list.Contains(probes[i % probes.Length]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The algorithm before compilation, kept here as the specification.</summary>
    private static bool PlainScan(List<IPNetwork> networks, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in networks)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static List<IPNetwork> ParseAll(IEnumerable<string> entries) =>
        [.. entries.Select(e => Assert.IsType<bool>(IpNetworkParser.TryParse(e, out var n, out var error)) ? n : throw new InvalidOperationException(error))];

    private static List<string> RandomEntries(Random random, int count)
    {
        var entries = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            entries.Add(random.Next(12) switch
            {
                < 3 => V4(random, clustered: true),
                < 5 => V4(random, clustered: false),
                < 6 => V4Dense(random),
                < 8 => V6(random, clustered: true),
                < 9 => V6(random, clustered: false),
                < 10 => V6Dense(random),
                _ => Mapped(random),
            });
        }

        return entries;
    }

    // Clustered entries all fall in 10.0.0.0/12 (or 2001:db8::/44), so they overlap, nest and touch a lot.
    private static string V4(Random random, bool clustered)
    {
        var prefix = clustered ? random.Next(12, 33) : random.Next(0, 33);
        var value = clustered ? 0x0A000000u | ((uint)random.Next() & 0x000FFFFFu) : (uint)random.NextInt64(0, 1L << 32);
        return new IPNetwork(V4Address(Masked(value, prefix)), prefix).ToString();
    }

    // Dense entries are a few addresses each inside 10.0.0.0/24 (or 2001:db8::/120): ranges one address apart, touching or not.
    private static string V4Dense(Random random)
    {
        var prefix = random.Next(29, 33);
        return new IPNetwork(V4Address(Masked(0x0A000000u | (uint)random.Next(256), prefix)), prefix).ToString();
    }

    private static string V6Dense(Random random)
    {
        var prefix = random.Next(125, 129);
        return new IPNetwork(V6Address(Masked(new UInt128(0x20010db800000000UL, (ulong)random.Next(256)), prefix)), prefix).ToString();
    }

    private static string V6(Random random, bool clustered)
    {
        var prefix = clustered ? random.Next(44, 129) : random.Next(0, 129);
        var value = RandomUInt128(random);
        if (clustered)
        {
            value = (new UInt128(0x20010db800000000UL, 0) & ~(UInt128.MaxValue >>> 44)) | (value >>> 44);
        }

        return new IPNetwork(V6Address(Masked(value, prefix)), prefix).ToString();
    }

    // Written the mapped way (::ffff:10.x.y.z/104..128): stored and matched as IPv4.
    private static string Mapped(Random random)
    {
        var prefix = random.Next(12, 33);
        var value = Masked(0x0A000000u | ((uint)random.Next() & 0x000FFFFFu), prefix);
        return $"{V4Address(value).MapToIPv6()}/{prefix + 96}";
    }

    /// <summary>Each network's first and last address and their neighbours, one inside, plus random ones of both families, also mapped.</summary>
    private static IEnumerable<IPAddress> Probes(Random random, List<IPNetwork> networks)
    {
        foreach (var network in networks.Take(400))
        {
            var bytes = network.BaseAddress.GetAddressBytes();
            if (bytes.Length == 4)
            {
                var start = BinaryPrimitives.ReadUInt32BigEndian(bytes);
                var end = start | (network.PrefixLength == 32 ? 0 : uint.MaxValue >>> network.PrefixLength);
                foreach (var v in (uint[])[start, end, start - 1, end + 1, start + (uint)(random.NextInt64(0, (long)end - start + 1))])
                {
                    yield return V4Address(v);
                    yield return V4Address(v).MapToIPv6();
                }
            }
            else
            {
                var start = BinaryPrimitives.ReadUInt128BigEndian(bytes);
                var end = start | (network.PrefixLength == 128 ? UInt128.Zero : UInt128.MaxValue >>> network.PrefixLength);
                foreach (var v in (UInt128[])[start, end, start - 1, end + 1, start + (RandomUInt128(random) & (end - start))])
                {
                    yield return V6Address(v);
                }
            }
        }

        for (var i = 0; i < 500; i++)
        {
            var v4 = V4Address((uint)random.NextInt64(0, 1L << 32));
            yield return v4;
            yield return v4.MapToIPv6();
            yield return V6Address(RandomUInt128(random));
            yield return V6Address((new UInt128(0x20010db800000000UL, 0) & ~(UInt128.MaxValue >>> 44)) | (RandomUInt128(random) >>> 44));
            yield return new IPAddress(V6Address(RandomUInt128(random)).GetAddressBytes(), scopeid: 3);
        }
    }

    private static uint Masked(uint value, int prefix) => prefix == 0 ? 0 : value & (uint.MaxValue << (32 - prefix));

    private static UInt128 Masked(UInt128 value, int prefix) => prefix == 0 ? UInt128.Zero : value & (UInt128.MaxValue << (128 - prefix));

    private static UInt128 RandomUInt128(Random random) => new((ulong)random.NextInt64() ^ ((ulong)random.Next() << 40), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40));

    private static IPAddress V4Address(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    private static IPAddress V6Address(UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
