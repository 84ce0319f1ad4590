using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ShiftStack.Installer.Ignition;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.IntegrationTests.Provisioning;
using ShiftStack.Networking;
using ShiftStack.OpenStack.Networking;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Addresses;

/// <summary>
/// The guest proof with the real stack on both ends of the wire (docs/addresses.md, "Guest proof"): node ports that
/// ShiftStack's own provisioning code creates (<see cref="ProvisioningScope.NetworkOnly"/>: the same plan and steps as
/// <c>create cluster</c>, no servers) on a dual-stack network whose router gets Router Advertisements from Neutron's
/// L3 agent (radvd) and whose subnets get DHCP and DHCPv6 from Neutron's DHCP agent (dnsmasq); each guest is
/// Debian's NetworkManager in a network namespace plugged into <c>br-int</c>, given only what ShiftStack generates
/// for a node (<see cref="NodeNetworkFiles"/>). Needs <c>hack/openstack-up --compute</c> and root; never skipped.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "GuestProof")]
public sealed class GuestProofTests(LocalCloud cloud, ITestOutputHelper output)
{
    /// <summary>The host of the local cloud's agents and nova-compute (<c>OS_COMPUTE_HOST</c> in hack/openstack/lib.sh).</summary>
    private const string ComputeHost = "shiftstack-compute";

    // Generous: on the shared 2-core CI machine an agent's loop can lag; a run here takes 3-10 s per guest.
    private static readonly TimeSpan AddressTimeout = TimeSpan.FromSeconds(90);

    // NetworkManager sends 3 Router Solicitations 4 s apart (the kernel's defaults it follows); radvd answers a
    // solicitation at once. Without a router, nothing may have arrived after all three and a margin.
    private static readonly TimeSpan NoRouterWait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(Ipv6AddressModes.Slaac)]
    [InlineData(Ipv6AddressModes.DhcpV6Stateless)]
    [InlineData(Ipv6AddressModes.DhcpV6Stateful)]
    public async Task NetworkManager_with_ShiftStacks_files_configures_Neutrons_addresses_and_reaches_the_router(string mode)
    {
        // Given: a node port made by ShiftStack's provisioning, on a network with a router (radvd) and dnsmasq
        await using var scenario = await ProvisionedAsync("proof-" + ShortMode(mode), new ScenarioOptions { Ipv6Mode = mode });
        var files = NodeNetworkFiles.Generate(scenario.Config, scenario.InfraId);
        Encoding.UTF8.GetString(files.ConfD["02-ipv6.conf"]).ShouldBe(IgnitionConfigs.Ipv6Conf);
        files.KernelArguments.ShouldBe(["ip=dhcp,dhcp6"]);
        var port = await BoundNodePortAsync(scenario, 0);
        var neutronV6 = port.FixedIpsOf(IpFamily.IPv6).Single().IpAddress;
        var neutronV4 = port.FixedIpsOf(IpFamily.IPv4).Single().IpAddress;

        // When: NetworkManager runs on it with only those files
        var clock = Stopwatch.StartNew();
        using var guest = await GuestAsync(port, files);
        var (v6, prefixLength, v4) = await guest.WaitForAddressesAsync(AddressTimeout);
        output.WriteLine($"{mode}: port {port.Name} MAC {port.MacAddress}: guest {v6}/{prefixLength} and {v4} after {clock.ElapsedMilliseconds} ms; Neutron {neutronV6}, {neutronV4}");

        // Then: guest = Neutron = shiftstack addresses' prediction, in both families
        IpAddresses.Canonical(v6).ShouldBe(neutronV6, guest.Diagnostics());
        v4.ToString().ShouldBe(neutronV4, guest.Diagnostics());
        prefixLength.ShouldBe(mode == Ipv6AddressModes.DhcpV6Stateful ? 128 : 64, "SLAAC: the /64 of the RA; DHCPv6: one address");
        var check = await AddressesCheckAsync(scenario, port);
        check.GetProperty("agree").GetBoolean().ShouldBeTrue(check.ToString());
        check.GetProperty("ipv4").EnumerateArray().Select(a => a.GetString()).ShouldBe([neutronV4]);
        var predicted = check.GetProperty("ipv6").EnumerateArray().Single();
        predicted.GetProperty("recorded").GetString().ShouldBe(neutronV6);
        if (mode == Ipv6AddressModes.DhcpV6Stateful)
        {
            predicted.GetProperty("agreement").GetString().ShouldBe("assignedByDHCPv6");
        }
        else
        {
            predicted.GetProperty("agreement").GetString().ShouldBe("agrees");
            predicted.GetProperty("predicted").GetString().ShouldBe(IpAddresses.Canonical(v6));
        }

        // And: the router's addresses (the subnets' gateways, on the router's qr- ports) answer in both families
        foreach (var gateway in new[] { scenario.V4.GatewayIp, scenario.V6.GatewayIp })
        {
            gateway.ShouldNotBeNull();
            guest.Ping(IPAddress.Parse(gateway)).ShouldBeTrue($"ping {gateway} from the guest\n{guest.Diagnostics()}");
        }

        output.WriteLine($"{mode}: guest pinged the router at {scenario.V4.GatewayIp} and {scenario.V6.GatewayIp}");
    }

    [Fact]
    public async Task NetworkManager_reads_addr_gen_mode_0_from_conf_d_and_without_it_takes_a_stable_privacy_address()
    {
        // Given: one SLAAC network, three node ports
        await using var scenario = await ProvisionedAsync("proof-confd", new ScenarioOptions { Ipv6Mode = Ipv6AddressModes.Slaac });
        var files = NodeNetworkFiles.Generate(scenario.Config, scenario.InfraId);
        var ports = new[] { await BoundNodePortAsync(scenario, 0), await BoundNodePortAsync(scenario, 1), await BoundNodePortAsync(scenario, 2) };

        // When: no kernel argument, so no profile from nm-initrd-generator: NetworkManager makes its own default
        // wired profile (ipv6.addr-gen-mode "default": the global default, else stable-privacy). Guest 0 has
        // ShiftStack's conf.d files, guest 1 the same without 02-ipv6.conf; guest 2 keeps the initrd profile of
        // ip=dhcp,dhcp6 but has no 02-ipv6.conf.
        var withConf = files with { KernelArguments = [] };
        using var guest0 = await GuestAsync(ports[0], withConf);
        using var guest1 = await GuestAsync(ports[1], withConf.Without("02-ipv6.conf"));
        using var guest2 = await GuestAsync(ports[2], files.Without("02-ipv6.conf"));
        var addresses = new List<IPAddress>();
        foreach (var guest in new[] { guest0, guest1, guest2 })
        {
            addresses.Add((await guest.WaitForAddressesAsync(AddressTimeout)).Ipv6);
        }

        var neutron = ports.Select(p => p.FixedIpsOf(IpFamily.IPv6).Single().IpAddress).ToList();
        for (var i = 0; i < 3; i++)
        {
            output.WriteLine($"guest {i}: MAC {ports[i].MacAddress} Neutron {neutron[i]} guest {addresses[i]}; profile addr-gen-mode: " +
                new[] { guest0, guest1, guest2 }[i].ProfileSetting("ipv6.addr-gen-mode"));
        }

        // Then: the conf.d default is read (Debian 12's NetworkManager 1.42 as RHCOS's): EUI-64 = Neutron's address
        guest0.PrintConfig().ShouldContain("ipv6.addr-gen-mode=0");
        guest0.ProfileSetting("ipv6.addr-gen-mode").ShouldBe("default");
        IpAddresses.Canonical(addresses[0]).ShouldBe(neutron[0], guest0.Diagnostics());

        // without it: a stable-privacy address in the same /64, not Neutron's, not EUI-64 at all
        guest1.ProfileSetting("ipv6.addr-gen-mode").ShouldBe("default");
        Cidr.Parse(scenario.V6.Cidr).Contains(addresses[1]).ShouldBeTrue();
        IpAddresses.Canonical(addresses[1]).ShouldNotBe(neutron[1], guest1.Diagnostics());
        Eui64.TryExtractMac(addresses[1], out _).ShouldBeFalse($"{addresses[1]} should not be an EUI-64 address");

        // the profile nm-initrd-generator writes for ip=dhcp,dhcp6 leaves addr-gen-mode unset ("default-or-eui64"),
        // which falls back to EUI-64 even without 02-ipv6.conf
        guest2.ProfileSetting("ipv6.addr-gen-mode").ShouldBe("default-or-eui64");
        IpAddresses.Canonical(addresses[2]).ShouldBe(neutron[2], guest2.Diagnostics());
    }

    [Fact]
    public async Task Without_a_router_the_IPv6_subnet_gives_the_guest_no_SLAAC_address()
    {
        // Given: a SLAAC subnet on no router (nothing sends RAs; pre-flight's "RA source" check warns of this)
        await using var scenario = await ProvisionedAsync("proof-norouter", new ScenarioOptions { Ipv6Mode = Ipv6AddressModes.Slaac, FloatingIps = false });
        var files = NodeNetworkFiles.Generate(scenario.Config, scenario.InfraId);
        var port = await BoundNodePortAsync(scenario, 0);

        // When
        var clock = Stopwatch.StartNew();
        using var guest = await GuestAsync(port, files);

        // Then: DHCPv4 works (dnsmasq), but no global IPv6 address ever appears
        while (guest.Addresses().Ipv4.Count == 0)
        {
            clock.Elapsed.ShouldBeLessThan(AddressTimeout, "no DHCPv4 address: the guest is not up\n" + guest.Diagnostics());
            await Task.Delay(250);
        }

        guest.Addresses().Ipv4.Single().ToString().ShouldBe(port.FixedIpsOf(IpFamily.IPv4).Single().IpAddress);
        while (clock.Elapsed < NoRouterWait)
        {
            guest.Addresses().Ipv6.ShouldBeEmpty(guest.Diagnostics());
            await Task.Delay(500);
        }

        output.WriteLine($"no router: after {clock.Elapsed.TotalSeconds:F0} s the guest has {guest.Addresses().Ipv4.Single()} and no global IPv6 address (Neutron recorded {port.FixedIpsOf(IpFamily.IPv6).Single().IpAddress})");
    }

    [Fact]
    public async Task Port_security_drops_a_spoofed_source_and_passes_the_VIPs_as_allowed_pairs()
    {
        // Given: a node port (both families, every VIP an allowed address pair, the master group) with NetworkManager
        // up on it, and its router's namespace (the L3 agent's qrouter-<id>) to count what arrives
        await using var scenario = await ProvisionedAsync("proof-spoof", new ScenarioOptions { Ipv6Mode = Ipv6AddressModes.Slaac });
        var port = await BoundNodePortAsync(scenario, 0);
        using var guest = await GuestAsync(port, NodeNetworkFiles.Generate(scenario.Config, scenario.InfraId));
        var (ownV6, _, ownV4) = await guest.WaitForAddressesAsync(AddressTimeout);
        var router = "qrouter-" + scenario.Router.ShouldNotBeNull().Id;
        var gateways = new[] { IPAddress.Parse(scenario.V4.GatewayIp!), IPAddress.Parse(scenario.V6.GatewayIp!) };
        var vips = scenario.Config.Platform.OpenStack!.ApiVips.Select(IPAddress.Parse).ToList();
        var taken = (await scenario.Network.Ports.ListAsync(new PortListOptions { NetworkId = scenario.UserNetwork.Id }))
            .SelectMany(p => p.FixedIps).Select(f => f.IpAddress).ToHashSet();
        var spoofed = new[] { Spoofed(ownV4, 250), Spoofed(ownV6, 0xbeef) };
        foreach (var address in spoofed)
        {
            taken.ShouldNotContain(IpAddresses.Canonical(address));
            var subnet = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? scenario.V4.Cidr : scenario.V6.Cidr;
            Cidr.Parse(subnet).Contains(address).ShouldBeTrue($"{address} (from {ownV4}, {ownV6}) in {subnet}");
        }

        foreach (var address in vips.Concat(spoofed))
        {
            guest.AddAddress(address);
        }

        foreach (var gateway in gateways)
        {
            var v6 = gateway.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            var own = v6 ? ownV6 : ownV4;
            var vip = vips.Single(a => a.AddressFamily == gateway.AddressFamily);
            var fake = spoofed.Single(a => a.AddressFamily == gateway.AddressFamily);

            // When/Then: from the port's own address and from a VIP (an allowed pair) the router gets the echo
            // requests and answers; from an address that is neither, none reaches it (dropped at br-int, not merely
            // unanswered: the router's own count of echo requests stays put)
            Arrived(router, v6, () => guest.Ping(gateway, own).ShouldBeTrue($"ping {gateway} from {own}\n{guest.Diagnostics()}")).ShouldBeGreaterThan(0);
            Arrived(router, v6, () => guest.Ping(gateway, vip).ShouldBeTrue($"ping {gateway} from the VIP {vip}\n{guest.Diagnostics()}")).ShouldBeGreaterThan(0);
            var spoofedArrived = Arrived(router, v6, () =>
            {
                for (var i = 0; i < 3; i++)
                {
                    guest.Ping(gateway, fake).ShouldBeFalse($"ping {gateway} from the spoofed {fake} was answered");
                }
            });
            spoofedArrived.ShouldBe(0, $"echo requests from {fake} (neither the port's address nor an allowed pair) reached the router");
            output.WriteLine($"{gateway}: answered from {own} and the VIP {vip}; 3 echo requests from {fake}: {spoofedArrived} reached the router");
        }
    }

    /// <summary><paramref name="address"/> with its last 8 (IPv4) or 16 (IPv6) bits replaced: same subnet, another host.</summary>
    private static IPAddress Spoofed(IPAddress address, int low)
    {
        var bytes = address.GetAddressBytes();
        if (bytes.Length == 16)
        {
            bytes[^2] = (byte)(low >> 8);
        }

        bytes[^1] = (byte)low;
        return new IPAddress(bytes);
    }

    /// <summary>How many ICMP echo requests of one family reached the router's namespace while <paramref name="send"/> ran.</summary>
    private static long Arrived(string router, bool ipv6, Action send)
    {
        var before = NamespacePair.EchoRequestsReceived(router, ipv6);
        send();
        return NamespacePair.EchoRequestsReceived(router, ipv6) - before;
    }

    private static string ShortMode(string mode) => mode switch
    {
        Ipv6AddressModes.Slaac => "slaac",
        Ipv6AddressModes.DhcpV6Stateless => "stateless",
        _ => "stateful",
    };

    private async Task<ProvisioningScenario> ProvisionedAsync(string name, ScenarioOptions options)
    {
        var scenario = await ProvisioningScenario.CreateAsync(cloud, name, options);
        try
        {
            var result = await scenario.ProvisionAsync(ProvisioningScope.NetworkOnly);
            result.Succeeded.ShouldBeTrue();
            output.WriteLine($"{name}: ShiftStack's provisioning (network only) for {scenario.InfraId}: {result.Requests} requests, {result.Elapsed.TotalSeconds:F1} s");
            return scenario;
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Node port <c>&lt;infraID&gt;-master-&lt;index&gt;-0</c>, bound to the compute host as Nova binds a server's port
    /// (<c>binding:host_id</c>, admin-only), so that ML2 binds it and the OVS agent wires it.
    /// </summary>
    private async Task<Port> BoundNodePortAsync(ProvisioningScenario scenario, int index)
    {
        var name = ClusterNames.Port(ClusterNames.MasterMachine(scenario.InfraId, index), 0);
        var port = (await scenario.Network.Ports.ListAsync(new PortListOptions { Name = name })).ShouldHaveSingleItem(name);
        port.Tags.ShouldContain(ClusterNames.ClusterTag(scenario.InfraId));
        return await cloud.AdminNetworking.Ports.UpdateAsync(port.Id, new PortUpdateOptions { BindingHostId = ComputeHost });
    }

    /// <summary>Plugs the port into a new guest, waits until Neutron reports it ACTIVE, then starts NetworkManager.</summary>
    private async Task<NetworkManagerGuest> GuestAsync(Port port, NodeNetworkFiles files) =>
        await NetworkManagerGuest.StartAsync(cloud.RepoRoot, port, files, async () =>
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var status = (await cloud.AdminNetworking.Ports.GetAsync(port.Id)).Status;
                if (status == PortStatus.Active)
                {
                    return;
                }

                clock.Elapsed.ShouldBeLessThan(AddressTimeout, $"port {port.Name} still {status} after plug-port: the OVS agent did not wire it");
                await Task.Delay(500);
            }
        });

    /// <summary><c>shiftstack addresses --output json</c> (the CLI) on the scenario's directory: the entry of <paramref name="port"/>.</summary>
    private async Task<JsonElement> AddressesCheckAsync(ProvisioningScenario scenario, Port port)
    {
        var run = await CliProcess.RunAsync(cloud, null, "addresses", "--dir", scenario.Directory, "--cloud", LocalCloud.UserCloud, "--output", "json");
        new[] { 0, 2 }.ShouldContain(run.ExitCode, run.ToString()); // 2: other ports (VIPs, nodes without servers) may disagree
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("id").GetString() == port.Id).Clone();
    }
}
