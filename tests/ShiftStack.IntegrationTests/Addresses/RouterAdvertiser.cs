using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ShiftStack.Networking;

namespace ShiftStack.IntegrationTests.Addresses;

/// <summary>
/// A minimal IPv6 router for the guest-side test: sends Router Advertisements (RFC 4861 §4.2) for one /64 to the
/// all-nodes group <c>ff02::1</c> on one interface inside a network namespace, every <see cref="Interval"/>, from a raw
/// ICMPv6 socket (the kernel fills in the checksum and the source link-local address; hop limit 255 as RFC 4861
/// requires). The RA flags follow the Neutron subnet mode (neutron-ipv6.md §3): <c>slaac</c> A=1; <c>dhcpv6-stateless</c>
/// A=1, O=1; <c>dhcpv6-stateful</c> M=1, A=0.
/// </summary>
public sealed class RouterAdvertiser : IAsyncDisposable
{
    /// <summary>Time between advertisements (radvd's minimum interval is 3 s; ours is shorter to keep the test fast).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly Socket _socket;
    private readonly byte[] _packet;
    private readonly IPEndPoint _allNodes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private RouterAdvertiser(Socket socket, byte[] packet, int ifIndex)
    {
        _socket = socket;
        _packet = packet;
        _allNodes = new IPEndPoint(new IPAddress(IPAddress.Parse("ff02::1").GetAddressBytes(), ifIndex), 0);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Advertisements sent so far.</summary>
    public int Sent { get; private set; }

    /// <summary>The last send error (e.g. before the link-local source address exists), for failure messages.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts advertising <paramref name="prefix"/> on <paramref name="interfaceName"/> in <paramref name="ns"/>.</summary>
    public static RouterAdvertiser Start(string ns, string interfaceName, Cidr prefix, string neutronMode)
    {
        var ifIndex = NamespacePair.IfIndex(ns, interfaceName);
        var socket = NamespaceSockets.Create(ns, () => new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6));
        socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, ifIndex);
        socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
        socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, false);
        return new RouterAdvertiser(socket, Build(prefix, neutronMode), ifIndex);
    }

    /// <summary>The RA: header, then a Prefix Information option (L=1, A per mode, valid 86400 s, preferred 14400 s).</summary>
    public static byte[] Build(Cidr prefix, string neutronMode)
    {
        var (managed, other, autonomous) = neutronMode switch
        {
            Ipv6AddressModes.Slaac => (false, false, true),
            Ipv6AddressModes.DhcpV6Stateless => (false, true, true),
            Ipv6AddressModes.DhcpV6Stateful => (true, false, false),
            _ => throw new ArgumentException("unknown mode " + neutronMode, nameof(neutronMode)),
        };
        var packet = new byte[16 + 32];
        packet[0] = 134; // Router Advertisement
        packet[1] = 0; // code; bytes 2-3: checksum, computed by the kernel for raw ICMPv6 sockets
        packet[4] = 64; // cur hop limit
        packet[5] = (byte)((managed ? 0x80 : 0) | (other ? 0x40 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 600); // router lifetime (s)
        // bytes 8-15: reachable time, retrans timer: unspecified (0)

        var option = packet.AsSpan(16);
        option[0] = 3; // Prefix Information
        option[1] = 4; // length in units of 8 octets
        option[2] = (byte)prefix.PrefixLength;
        option[3] = (byte)(0x80 | (autonomous ? 0x40 : 0)); // L, A
        BinaryPrimitives.WriteUInt32BigEndian(option[4..], 86400); // valid lifetime
        BinaryPrimitives.WriteUInt32BigEndian(option[8..], 14400); // preferred lifetime
        prefix.Network.GetAddressBytes().CopyTo(option[16..]);
        return packet;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // the socket is closed below anyway
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _socket.SendToAsync(_packet, SocketFlags.None, _allNodes, _stop.Token);
                Sent++;
            }
            catch (SocketException e)
            {
                // e.g. EADDRNOTAVAIL until the router's link-local address exists
                LastError = e.Message;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
