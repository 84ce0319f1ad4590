using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace ShiftStack.Networking;

/// <summary>
/// A CIDR as Go's <c>net.ParseCIDR</c> reads it and the installer keeps it: the address as written (host bits may
/// be set), the prefix length and the masked network.
/// </summary>
/// <remarks>
/// <para>
/// A CIDR whose address is IPv4-mapped IPv6 (<c>::ffff:10.0.0.0/104</c>) is read as IPv4 with the prefix length
/// minus 96 (at least 0), which is how Go's <c>net.IPNet</c> prints it and tests containment
/// (<c>10.0.0.0/8</c>). The installer's <c>Mask.Size()</c> would still report the 128-bit prefix length.
/// </para>
/// <para>
/// Two CIDRs are equal when family, network and prefix length are equal, whatever the spelling
/// (<c>10.0.0.5/8</c> equals <c>10.0.0.0/8</c>). <c>default(Cidr)</c> is <c>0.0.0.0/0</c>.
/// </para>
/// </remarks>
public readonly struct Cidr : IEquatable<Cidr>
{
    private const int MaxPrefixDigitsValue = 0xFFFFFF; // Go's dtoi "big"

    private readonly UInt128 _address;
    private readonly string? _text;
    private readonly byte _prefixLength;
    private readonly byte _writtenPrefixLength;
    private readonly bool _isIPv6;

    private Cidr(UInt128 address, int prefixLength, bool isIPv6, string text, int writtenPrefixLength)
    {
        _address = address;
        _prefixLength = (byte)prefixLength;
        _isIPv6 = isIPv6;
        _text = text;
        _writtenPrefixLength = (byte)writtenPrefixLength;
    }

    /// <summary>
    /// Parses <c>address/prefix</c> with Go's <c>net.ParseCIDR</c> semantics.
    /// </summary>
    /// <remarks>
    /// The address follows <see cref="IpAddresses.TryParse"/> (no leading-zero octets, no zone, no whitespace).
    /// The prefix is decimal digits only; leading zeros are accepted (<c>10.0.0.0/08</c>), as in Go. It may be at
    /// most 32 for a dotted-quad address and 128 otherwise. Host bits may be set.
    /// </remarks>
    /// <param name="text">The text to parse.</param>
    /// <param name="cidr">The CIDR, or <c>default</c> on failure.</param>
    /// <param name="error">Empty on success; otherwise Go's message <c>invalid CIDR address: &lt;text&gt;</c>.</param>
    /// <returns>True when <paramref name="text"/> is a CIDR.</returns>
    public static bool TryParse(string? text, out Cidr cidr, out string error)
    {
        cidr = default;
        error = string.Empty;
        if (text is null || !TryParseCore(text, out cidr))
        {
            error = "invalid CIDR address: " + text;
            return false;
        }

        return true;
    }

    /// <summary>Parses <c>address/prefix</c> like <see cref="TryParse"/>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The CIDR.</returns>
    /// <exception cref="FormatException">The text is not a CIDR; the message is Go's.</exception>
    public static Cidr Parse(string text)
    {
        if (!TryParse(text, out Cidr cidr, out string error))
        {
            throw new FormatException(error);
        }

        return cidr;
    }

    private static bool TryParseCore(string text, out Cidr cidr)
    {
        cidr = default;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParse(text.AsSpan(0, slash), out UInt128 value, out bool dotted))
        {
            return false;
        }

        ReadOnlySpan<char> digits = text.AsSpan(slash + 1);
        int prefix = 0;
        int i = 0;
        for (; i < digits.Length && char.IsAsciiDigit(digits[i]); i++)
        {
            prefix = (prefix * 10) + (digits[i] - '0');
            if (prefix >= MaxPrefixDigitsValue)
            {
                return false;
            }
        }

        int bits = dotted ? 32 : 128;
        if (i == 0 || i != digits.Length || prefix > bits)
        {
            return false;
        }

        if (!dotted && IpText.IsIPv4Mapped(value))
        {
            cidr = new Cidr((uint)value, Math.Max(0, prefix - 96), isIPv6: false, text, prefix);
            return true;
        }

        cidr = new Cidr(value, prefix, isIPv6: !dotted, text, prefix);
        return true;
    }

    /// <summary>The address as written, host bits included (IPv4 for an IPv4-mapped spelling).</summary>
    public IPAddress Address => IpText.ToAddress(_address, _isIPv6);

    /// <summary>The network address: <see cref="Address"/> with the host bits cleared.</summary>
    public IPAddress Network => IpText.ToAddress(NetworkValue, _isIPv6);

    /// <summary>The prefix length: 0–32 for IPv4, 0–128 for IPv6.</summary>
    public int PrefixLength => _prefixLength;

    /// <summary>The address family.</summary>
    public IpFamily Family => _isIPv6 ? IpFamily.IPv6 : IpFamily.IPv4;

    /// <summary>The address size in bits: 32 or 128.</summary>
    public int AddressBits => _isIPv6 ? 128 : 32;

    /// <summary>True when no host bit is set (<see cref="Address"/> equals <see cref="Network"/>).</summary>
    public bool IsNetworkAddress => _address == NetworkValue;

    /// <summary>
    /// True when <see cref="Address"/> is <c>0.0.0.0</c> or <c>::</c> (Go's <c>IsUnspecified</c>; the installer
    /// rejects such machine networks with "address must be specified").
    /// </summary>
    public bool IsUnspecified => _address == UInt128.Zero;

    /// <summary>The text exactly as written (for <c>default(Cidr)</c>, <c>0.0.0.0/0</c>).</summary>
    public string Text => _text ?? ToString();

    /// <summary>
    /// The text the installer prints for this CIDR (Go's <c>net.IPNet.String()</c> on the installer's
    /// <c>ipnet.IPNet</c>): the address <em>as written</em> (not masked) in Go's text, then the prefix length, e.g.
    /// <c>10.0.0.5/16</c> or <c>fd2e::/64</c>. Used in messages such as
    /// "invalid network address. got &lt;cidr&gt;, expecting &lt;network/mask&gt;".
    /// </summary>
    public string InstallerText => IpText.GoText(_address, _isIPv6) + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    internal UInt128 NetworkValue => _address & Mask(_prefixLength);

    internal UInt128 AddressValue => _address;

    private UInt128 Mask(int prefixLength)
    {
        if (prefixLength == 0)
        {
            return UInt128.Zero;
        }

        UInt128 all = _isIPv6 ? UInt128.MaxValue : uint.MaxValue;
        return (all << (AddressBits - prefixLength)) & all;
    }

    private UInt128 HostMask => _isIPv6 ? ~Mask(_prefixLength) : ~Mask(_prefixLength) & uint.MaxValue;

    /// <summary>
    /// True when <paramref name="address"/> lies in this network. Family-aware like Go's <c>IPNet.Contains</c>: an
    /// IPv4-mapped IPv6 address counts as IPv4, and an IPv6 network never contains an IPv4 address
    /// (<c>::/0</c> does not contain <c>::ffff:1.2.3.4</c>).
    /// </summary>
    /// <param name="address">The address to test.</param>
    /// <returns>True when the address is in the network.</returns>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        UInt128 value = IpText.ToFamilyValue(address, out IpFamily family);
        return family == Family && (value & Mask(_prefixLength)) == NetworkValue;
    }

    /// <summary>
    /// True when the two networks share at least one address (one contains the other); always false across
    /// families. Same result as the installer's <c>DoCIDRsOverlap</c>.
    /// </summary>
    /// <param name="other">The other CIDR.</param>
    /// <returns>True when the networks overlap.</returns>
    public bool Overlaps(Cidr other)
    {
        if (other._isIPv6 != _isIPv6)
        {
            return false;
        }

        UInt128 mask = Mask(Math.Min(_prefixLength, other._prefixLength));
        return (_address & mask) == (other._address & mask);
    }

    /// <summary>
    /// Host number <paramref name="n"/> of this network, like the installer's <c>cidr.Host</c> (go-cidr 1.1.0):
    /// <c>192.168.0.0/24</c> host 5 is <c>192.168.0.5</c>, <c>fd2e::/64</c> host 5 is <c>fd2e::5</c>. A negative
    /// number counts from the end (-1 is the last address).
    /// </summary>
    /// <remarks>
    /// As in go-cidr, the number is OR-ed into the address <em>as written</em>; for a CIDR with host bits set this
    /// can differ from the network address plus <paramref name="n"/> (such a machine network fails validation).
    /// </remarks>
    /// <param name="n">The host number.</param>
    /// <returns>The address, or null when the network has no such host.</returns>
    public IPAddress? Host(long n) => TryHost(n, out IPAddress? host, out _) ? host : null;

    /// <summary>
    /// Like <see cref="Host"/>, with go-cidr's error text when the number does not fit:
    /// <c>prefix of &lt;len&gt; does not accommodate a host numbered &lt;n&gt;</c>. The installer stores that text, prefixed
    /// with "could not derive API VIP from machine networks: ", as the defaulted VIP.
    /// </summary>
    /// <param name="n">The host number.</param>
    /// <param name="host">The address on success.</param>
    /// <param name="error">Empty on success; otherwise go-cidr's message.</param>
    /// <returns>True when the host exists.</returns>
    public bool TryHost(long n, [NotNullWhen(true)] out IPAddress? host, out string error)
    {
        UInt128 maxHost = HostMask;
        UInt128 number;
        bool fits;
        if (n >= 0)
        {
            number = (ulong)n;
            fits = number <= maxHost;
        }
        else
        {
            UInt128 fromEnd = (ulong)(-(n + 1)); // -1 → 0, no overflow for long.MinValue
            fits = fromEnd <= maxHost;
            number = fits ? maxHost - fromEnd : UInt128.Zero;
        }

        if (!fits)
        {
            host = null;
            // go-cidr prints the number after turning a negative one into maxHost - (-n - 1).
            Int128 printed = n >= 0 ? n : (Int128)maxHost - (Int128)(ulong)(-(n + 1));
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"prefix of {_writtenPrefixLength} does not accommodate a host numbered {printed}");
            return false;
        }

        host = IpText.ToAddress(_address | number, _isIPv6);
        error = string.Empty;
        return true;
    }

    /// <summary>The canonical <c>network/prefix</c> text (IPv6 in RFC 5952 form), e.g. <c>fd2e:6f44:5dd8:c956::/64</c>.</summary>
    /// <returns>The canonical text.</returns>
    public override string ToString() =>
        IpText.Canonical(NetworkValue, _isIPv6) + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equal when family, network and prefix length are equal (the spelling is ignored).</summary>
    /// <param name="other">The other CIDR.</param>
    /// <returns>True when both denote the same network.</returns>
    public bool Equals(Cidr other) =>
        _isIPv6 == other._isIPv6 && _prefixLength == other._prefixLength && NetworkValue == other.NetworkValue;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Cidr other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_isIPv6, _prefixLength, NetworkValue);

    /// <summary>Network equality; see <see cref="Equals(Cidr)"/>.</summary>
    /// <param name="left">The first CIDR.</param>
    /// <param name="right">The second CIDR.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(Cidr left, Cidr right) => left.Equals(right);

    /// <summary>Network inequality; see <see cref="Equals(Cidr)"/>.</summary>
    /// <param name="left">The first CIDR.</param>
    /// <param name="right">The second CIDR.</param>
    /// <returns>True when not equal.</returns>
    public static bool operator !=(Cidr left, Cidr right) => !left.Equals(right);
}
