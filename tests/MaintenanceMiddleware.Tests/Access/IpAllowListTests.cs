using System.Net;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Access;

public class IpAllowListTests
{
    [Theory]
    // IPv4 single addresses and CIDR edges.
    [InlineData("192.0.2.10", "192.0.2.10", true)]
    [InlineData("192.0.2.10", "192.0.2.11", false)]
    [InlineData("192.0.2.10/32", "192.0.2.10", true)]
    [InlineData("192.0.2.10/32", "192.0.2.9", false)]
    [InlineData("10.0.0.0/8", "10.0.0.0", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("192.168.1.128/25", "192.168.1.127", false)]
    [InlineData("192.168.1.128/25", "192.168.1.128", true)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    // IPv6.
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:12:ffff::1", true)]
    [InlineData("2001:db8:abcd:12::/64", "2001:db8:abcd:13::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("::/0", "192.0.2.1", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    // IPv4-mapped IPv6 is compared as IPv4, from either side.
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.200", true)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.3.1", false)]
    [InlineData("::ffff:192.0.2.5", "192.0.2.5", true)]
    [InlineData("::ffff:192.0.2.5", "::ffff:192.0.2.5", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.2", "::ffff:127.0.0.1", false)]
    public void Address_is_matched_against_the_network(string network, string address, bool allowed)
    {
        var list = IpAllowList.Parse([network], "test");

        Assert.Equal(allowed, list.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Null_address_is_never_allowed()
    {
        var list = IpAllowList.Parse(["0.0.0.0/0", "::/0"], "test");

        Assert.False(list.Contains(null));
    }

    [Fact]
    public void Empty_list_allows_nobody()
    {
        Assert.False(IpAllowList.Empty.Contains(IPAddress.Loopback));
    }

    [Fact]
    public void Several_networks_are_combined()
    {
        var list = IpAllowList.Parse(["10.0.0.0/8"], "a").Combine(IpAllowList.Parse(["2001:db8::/32"], "b"));

        Assert.True(list.Contains(IPAddress.Parse("10.9.9.9")));
        Assert.True(list.Contains(IPAddress.Parse("2001:db8::5")));
        Assert.False(list.Contains(IPAddress.Parse("192.0.2.1")));
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("300.1.1.1")]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("fe80::1%eth0")]
    [InlineData("")]
    public void Unparseable_entry_is_refused_with_its_index(string entry)
    {
        var ex = Assert.Throws<FormatException>(() => IpAllowList.Parse(["10.0.0.0/8", entry], "MaintenanceMode:AllowedNetworks"));

        Assert.StartsWith("MaintenanceMode:AllowedNetworks:1", ex.Message, StringComparison.Ordinal);
    }
}
