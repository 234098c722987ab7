using System.Net;
using BenchmarkDotNet.Attributes;

namespace MaintenanceMiddleware.Benchmarks;

/// <summary>
/// The allowlist lookup with 1 entry and with 10,000 entries of each family in the same run (target: at most 50 ns
/// and 0 bytes with 10,000). The list compiles into sorted, merged ranges, so the lookup is a binary search;
/// <see cref="AllowListEntries"/> makes the entries disjoint, the worst case.
/// Run: <c>dotnet run -c Release --project tests/MaintenanceMiddleware.Benchmarks -- --filter '*AllowListBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class AllowListBenchmarks
{
    private static readonly IPAddress s_ipv4Outside = IPAddress.Parse("203.0.113.9");
    private static readonly IPAddress s_ipv4Inside = IPAddress.Parse("11.0.0.77");
    private static readonly IPAddress s_mappedOutside = IPAddress.Parse("::ffff:203.0.113.9");
    private static readonly IPAddress s_ipv6Outside = IPAddress.Parse("2001:db8:ffff::9");

    private IpAllowList _list = IpAllowList.Empty;

    /// <summary>Entries per family.</summary>
    [Params(1, 10_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _list = IpAllowList.Parse([.. AllowListEntries.IPv4(Entries), .. AllowListEntries.IPv6(Entries)], "benchmark");

    /// <summary>A visitor outside the list: the lookup on every 503.</summary>
    [Benchmark(Baseline = true)]
    public bool IPv4_outside() => _list.Contains(s_ipv4Outside);

    /// <summary>An office address inside the first network.</summary>
    [Benchmark]
    public bool IPv4_inside() => _list.Contains(s_ipv4Inside);

    /// <summary>An IPv4 visitor reaching a dual-stack socket (compared as IPv4).</summary>
    [Benchmark]
    public bool Mapped_outside() => _list.Contains(s_mappedOutside);

    [Benchmark]
    public bool IPv6_outside() => _list.Contains(s_ipv6Outside);
}
