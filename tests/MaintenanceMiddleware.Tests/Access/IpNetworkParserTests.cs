using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Access;

/// <summary>
/// The one parser behind configuration, a window's extra networks, the HTTP body and the CLI's <c>--allow</c>:
/// what it accepts (and how it stores it) and the exact message for what it refuses.
/// </summary>
public class IpNetworkParserTests
{
    [Theory]
    [InlineData("10.0.0.7", "10.0.0.7/32")]
    [InlineData(" 10.0.0.7 ", "10.0.0.7/32")]
    [InlineData("0.0.0.0", "0.0.0.0/32")]
    [InlineData("255.255.255.255", "255.255.255.255/32")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1/128")]
    [InlineData("::/0", "::/0")]
    [InlineData("::1", "::1/128")]
    // IPv4-mapped input is stored as the IPv4 it stands for: requests from mapped addresses are compared as IPv4.
    [InlineData("::ffff:10.1.2.3", "10.1.2.3/32")]
    [InlineData("::ffff:127.0.0.0/104", "127.0.0.0/8")]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.0/24")]
    [InlineData("::ffff:7f00:0/104", "127.0.0.0/8")]
    [InlineData("::ffff:0:0/96", "0.0.0.0/0")]
    public void Entry_is_accepted_and_normalised(string entry, string stored)
    {
        Assert.True(IpNetworkParser.TryParse(entry, out var network, out var error), error);

        Assert.Equal(stored, network.ToString());
        Assert.Equal(string.Empty, error);
    }

    [Theory]
    // Zone ids name an interface, not addresses; inside a CIDR they were accepted silently before.
    [InlineData("fe80::%eth0/64", "'fe80::%eth0/64' has a zone id ('%eth0'): an allowlist entry names addresses, not interfaces; write it without the zone id.")]
    [InlineData("fe80::1%eth0", "'fe80::1%eth0' has a zone id ('%eth0'): an allowlist entry names addresses, not interfaces; write it without the zone id.")]
    [InlineData("fe80::1%4", "'fe80::1%4' has a zone id ('%4'): an allowlist entry names addresses, not interfaces; write it without the zone id.")]
    // Legacy IPv4 forms: .NET (and inet_aton) read them, other tools do not, and they rarely mean what they look like.
    [InlineData("127.1", "'127.1' is a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("2130706433", "'2130706433' is a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("10", "'10' is a legacy IPv4 form (read as 0.0.0.10 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("0x7f.1", "'0x7f.1' is a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("0177.0.0.1", "'0177.0.0.1' is a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("010.0.0.1", "'010.0.0.1' is a legacy IPv4 form (read as 8.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("1.2.3", "'1.2.3' is a legacy IPv4 form (read as 1.2.0.3 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("10/8", "'10/8' starts with '10', a legacy IPv4 form (read as 0.0.0.10 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("127.1/16", "'127.1/16' starts with '127.1', a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    // Not an address at all.
    [InlineData("not-an-ip", "'not-an-ip' is not a valid IP address or CIDR range (expected e.g. 10.0.0.7, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32).")]
    [InlineData("300.1.1.1", "'300.1.1.1' is not a valid IP address or CIDR range (expected e.g. 10.0.0.7, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32).")]
    [InlineData("1.2.3.4.5", "'1.2.3.4.5' is not a valid IP address or CIDR range (expected e.g. 10.0.0.7, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32).")]
    [InlineData("", "An empty entry is not an IP address or CIDR range.")]
    [InlineData("   ", "An empty entry is not an IP address or CIDR range.")]
    [InlineData(null, "An empty entry is not an IP address or CIDR range.")]
    // IPv6 in the forms of URLs and sockets, or with a legacy IPv4 tail.
    [InlineData("[::1]", "'[::1]' is not a valid IPv6 address or range (expected e.g. 2001:db8::1 or 2001:db8::/32, without brackets, port or zone id).")]
    [InlineData("[::1]:80", "'[::1]:80' is not a valid IPv6 address or range (expected e.g. 2001:db8::1 or 2001:db8::/32, without brackets, port or zone id).")]
    [InlineData("::ffff:127.1", "'::ffff:127.1' is not a valid IPv6 address or range (expected e.g. 2001:db8::1 or 2001:db8::/32, without brackets, port or zone id).")]
    [InlineData("2001:db8::g", "'2001:db8::g' is not a valid IPv6 address or range (expected e.g. 2001:db8::1 or 2001:db8::/32, without brackets, port or zone id).")]
    // Prefix lengths: decimal, in range, no sign and no leading zero.
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' has an invalid prefix length: write a whole number from 0 to 32 after the '/' (e.g. 10.0.0.0/8).")]
    [InlineData("10.0.0.0/08", "'10.0.0.0/08' has an invalid prefix length: write a whole number from 0 to 32 after the '/' (e.g. 10.0.0.0/8).")]
    [InlineData("10.0.0.0/+8", "'10.0.0.0/+8' has an invalid prefix length: write a whole number from 0 to 32 after the '/' (e.g. 10.0.0.0/8).")]
    [InlineData("10.0.0.0/", "'10.0.0.0/' has an invalid prefix length: write a whole number from 0 to 32 after the '/' (e.g. 10.0.0.0/8).")]
    [InlineData("10.0.0.0/8/8", "'10.0.0.0/8/8' has an invalid prefix length: write a whole number from 0 to 32 after the '/' (e.g. 10.0.0.0/8).")]
    [InlineData("2001:db8::/129", "'2001:db8::/129' has an invalid prefix length: write a whole number from 0 to 128 after the '/' (e.g. 2001:db8::/32).")]
    // Host bits: say which range was probably meant (in the IPv4 form for a mapped range).
    [InlineData("192.168.1.77/24", "'192.168.1.77/24' has host bits set: write 192.168.1.0/24 for the range, or the address alone for one host.")]
    [InlineData("2001:db8::1/32", "'2001:db8::1/32' has host bits set: write 2001:db8::/32 for the range, or the address alone for one host.")]
    [InlineData("::ffff:127.0.0.1/104", "'::ffff:127.0.0.1/104' has host bits set: write 127.0.0.0/8 for the range, or the address alone for one host.")]
    public void Entry_is_refused_with_a_message_naming_it(string? entry, string message)
    {
        Assert.False(IpNetworkParser.TryParse(entry, out var network, out var error));

        Assert.Equal(message, error);
        Assert.Equal(default, network);
    }

    [Fact]
    public void Control_characters_in_a_refused_entry_are_not_echoed()
    {
        Assert.False(IpNetworkParser.TryParse("10.0.0.1\u001b[2J", out _, out var error));

        Assert.Equal("'10.0.0.1?[2J' is not a valid IP address or CIDR range (expected e.g. 10.0.0.7, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32).", error);
    }
}
