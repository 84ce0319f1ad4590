using static ShiftStack.InstallConfig.Tests.TestConfigs;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>
/// One row per rule of install-config.md §7 (and the generic rules), valid and invalid, asserting the full rendered
/// errors (path, type and message) of the whole processing (up-conversion → defaults → validation).
/// </summary>
public class ValidationRuleTests
{
    public sealed record Case(Func<InstallConfiguration> Build, string[] Errors, string[]? Warnings = null);

    private const string V4Api = "192.168.25.199";
    private const string V6Api = "fd2e:6f44:5dd8:c956:f816:3eff:fe78:cf36";
    private const string V4Ingress = "192.168.25.79";
    private const string V6Ingress = "fd2e:6f44:5dd8:c956:f816:3eff:fef1:1bad";
    private const string Uuid4 = "0a0f0e0d-1111-4222-8333-444455556666";
    private const string OpenStack = "platform.openstack";
    private const string Rfc1123 = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private static InstallConfiguration UserManagedSingleStack(string[] api, string[] ingress) => SingleStack()
        .WithOpenStack(o => o with { LoadBalancer = new LoadBalancerConfig { Type = "UserManaged" }, ApiVips = api, IngressVips = ingress });

    private static PortTarget Port(params FixedIP[] fixedIPs) => new() { Network = new NetworkFilter { Name = "net" }, FixedIPs = fixedIPs };

    private static FixedIP Subnet(string? id = null, string? name = null) => new() { Subnet = new SubnetFilter { Id = id, Name = name } };

    /// <summary>A syntactically valid ed25519 public key (32 zero bytes of key material).</summary>
    public static readonly string Ed25519Key = "ssh-ed25519 " + Convert.ToBase64String(
        [0, 0, 0, 11, .. "ssh-ed25519"u8.ToArray(), 0, 0, 0, 32, .. new byte[32]]) + " user@host";

    public static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>
    {
        // ---- §7.1 controlPlanePort ------------------------------------------------------------------------------
        ["Accepts_controlPlanePort_with_subnet_names"] = new(DualStack, []),
        ["Accepts_controlPlanePort_with_UUIDv4_ids"] = new(() => DualStack().WithOpenStack(o => o with
        {
            ControlPlanePort = new PortTarget { Network = new() { Id = Uuid4 }, FixedIPs = [Subnet(id: Uuid4), Subnet(id: "{" + Uuid4 + "}")] },
        }), []),
        ["Rejects_a_network_id_that_is_not_a_UUID"] = new(() => DualStack().WithOpenStack(o => o with
        {
            ControlPlanePort = o.ControlPlanePort! with { Network = new() { Id = "not-a-uuid" } },
        }), [$"{OpenStack}.controlPlanePort.network: Invalid value: \"not-a-uuid\": invalid network ID: must be a UUIDv4"]),
        ["Rejects_a_version_1_UUID_as_network_id"] = new(() => DualStack().WithOpenStack(o => o with
        {
            ControlPlanePort = o.ControlPlanePort! with { Network = new() { Id = "c232ab00-9414-11ec-b3c8-9f6bdeced846" } },
        }), [$"{OpenStack}.controlPlanePort.network: Invalid value: \"c232ab00-9414-11ec-b3c8-9f6bdeced846\": invalid network ID: must be a UUIDv4"]),
        ["Rejects_controlPlanePort_without_fixedIPs"] = new(() => SingleStack().WithOpenStack(o => o with { ControlPlanePort = Port() }),
            [$"{OpenStack}.controlPlanePort.fixedIPs: Required value: it is required to set a subnet filter to the controlPlanePort"]),
        ["Rejects_a_subnet_id_that_is_not_a_UUIDv4"] = new(() => DualStack().WithOpenStack(o => o with
        {
            ControlPlanePort = Port(Subnet(name: "v4"), Subnet(id: "abc")),
        }), [$"{OpenStack}.controlPlanePort.fixedIPs[1].subnet.id: Invalid value: \"abc\": invalid subnet ID: must be a UUIDv4"]),
        ["Rejects_a_subnet_filter_without_id_or_name"] = new(() => DualStack().WithOpenStack(o => o with
        {
            ControlPlanePort = Port(Subnet(), Subnet(name: "v6")),
        }), [$"{OpenStack}.controlPlanePort.fixedIPs[0].subnet: Required value: either ID or Name must be set on the subnet filter"]),
        ["Rejects_three_fixedIPs"] = new(() => DualStack().WithOpenStack(o => o with
        {
            ControlPlanePort = Port(Subnet(name: "a"), Subnet(name: "b"), Subnet(name: "c")),
        }), [$"{OpenStack}.controlPlanePort.fixedIPs: Too many: 3: must have at most 2 items"]),

        // ---- §7.2 externalDNS, loadBalancer ---------------------------------------------------------------------
        ["Accepts_externalDNS_addresses"] = new(() => SingleStack().WithOpenStack(o => o with { ExternalDns = ["8.8.8.8", "2001:4860:4860::8888"] }), []),
        ["Rejects_an_externalDNS_entry_that_is_not_an_IP"] = new(() => SingleStack().WithOpenStack(o => o with { ExternalDns = ["8.8.8.8", "dns.example"] }),
            [$"{OpenStack}.externalDNS: Invalid value: [\"8.8.8.8\",\"dns.example\"]: \"dns.example\" is not a valid IP"]),
        ["Rejects_an_unknown_load_balancer_type"] = new(() => SingleStack().WithOpenStack(o => o with { LoadBalancer = new() { Type = "Octavia" } }),
            [$"{OpenStack}.loadBalancer.type: Invalid value: \"Octavia\": invalid load balancer type"]),
        ["Accepts_UserManaged_VIPs_outside_the_machine_networks_and_equal_to_each_other"] = new(
            () => UserManagedSingleStack(["192.0.2.10"], ["192.0.2.10"]), []),

        // ---- §7.3 family rules ----------------------------------------------------------------------------------
        ["Accepts_IPv6_primary_dual_stack"] = new(DualStackV6Primary, []),
        ["Accepts_single_stack_IPv6"] = new(() => SingleStack().WithNetworking(n => n with
        {
            MachineNetwork = [new() { Cidr = "fd2e:6f44:5dd8:c956::/64" }],
            ClusterNetwork = [new() { Cidr = "fd01::/48", HostPrefix = 64 }],
            ServiceNetwork = ["fd02::/112"],
        }), []),
        ["Rejects_dual_stack_with_three_service_networks"] = new(() => DualStack().WithNetworking(n => n with { ServiceNetwork = ["172.30.0.0/16", "fd02::/112", "fd03::/112"] }),
            ["networking.serviceNetwork: Invalid value: \"172.30.0.0/16, fd02::/112, fd03::/112\": when installing dual-stack IPv4/IPv6 you must provide two service networks, one for each IP address type"]),
        ["Rejects_a_dual_stack_clusterNetwork_without_IPv6"] = new(() => DualStack().WithNetworking(n => n with { ClusterNetwork = [n.ClusterNetwork[0]] }),
            ["networking.clusterNetwork: Invalid value: \"10.128.0.0/14\": dual-stack IPv4/IPv6 requires an IPv6 network in this list"]),
        ["Rejects_a_dual_stack_clusterNetwork_without_IPv4"] = new(() => DualStack().WithNetworking(n => n with { ClusterNetwork = [n.ClusterNetwork[1]] }),
            [
                "networking.clusterNetwork: Invalid value: \"fd01::/48\": dual-stack IPv4/IPv6 requires an IPv4 network in this list",
                $"{OpenStack}.apiVIPs: Invalid value: \"{V4Api}\": clusterNetwork primary IP Family and primary IP family for the API VIP should match",
                $"{OpenStack}.ingressVIPs: Invalid value: \"{V4Ingress}\": clusterNetwork primary IP Family and primary IP family for the Ingress VIP should match",
            ],
            ["networking: the network lists do not share one primary IP family (clusterNetwork is IPv6-primary, machineNetwork is IPv4-primary, serviceNetwork is IPv4-primary); list the same family first everywhere (openshift-install does not check this)"]),
        ["Rejects_two_service_networks_in_a_single_stack_cluster"] = new(() => SingleStack().WithNetworking(n => n with { ServiceNetwork = ["172.30.0.0/16", "172.31.0.0/16"] }),
            ["networking.serviceNetwork: Invalid value: \"172.30.0.0/16, 172.31.0.0/16\": only one service network can be specified"]),
        ["Warns_that_dual_stack_is_detected_from_serviceNetwork_only"] = new(() => DualStack()
            .WithNetworking(n => n with { ServiceNetwork = ["172.30.0.0/16"] })
            .WithOpenStack(o => o with { ApiVips = [V4Api], IngressVips = [V4Ingress] }),
            [],
            [
                "networking.clusterNetwork: clusterNetwork holds IPv4 and IPv6 networks, but the cluster is not dual-stack because serviceNetwork holds only IPv4; openshift-install (and ShiftStack) detect dual-stack from serviceNetwork only",
                "networking.machineNetwork: machineNetwork holds IPv4 and IPv6 networks, but the cluster is not dual-stack because serviceNetwork holds only IPv4; openshift-install (and ShiftStack) detect dual-stack from serviceNetwork only",
            ]),

        // ---- §7.4 networkType -----------------------------------------------------------------------------------
        ["Rejects_OpenShiftSDN_in_any_spelling"] = new(() => SingleStack().WithNetworking(n => n with { NetworkType = "openshiftsdn" }),
            ["networking.networkType: Invalid value: \"OpenShiftSDN\": networkType OpenShiftSDN is not supported, please use OVNKubernetes"]),
        ["Rejects_Kuryr"] = new(() => SingleStack().WithNetworking(n => n with { NetworkType = "kuryr" }),
            ["networking.networkType: Invalid value: \"kuryr\": networkType Kuryr is not supported on OpenShift later than 4.14"]),
        ["Accepts_OVNKubernetes_in_any_spelling"] = new(() => SingleStack().WithNetworking(n => n with { NetworkType = "ovnkubernetes" }), []),

        // ---- §7.5 generic network rules ---------------------------------------------------------------------------
        ["Rejects_a_machine_network_with_host_bits_set"] = new(() => DualStack().WithNetworking(n => n with { MachineNetwork = [new() { Cidr = "192.168.25.1/24" }, n.MachineNetwork[1]] }),
            ["networking.machineNetwork[0]: Invalid value: \"192.168.25.1/24\": invalid network address. got 192.168.25.1/24, expecting 192.168.25.0/24"]),
        ["Rejects_an_unspecified_machine_network"] = new(() => SingleStack().WithNetworking(n => n with { MachineNetwork = [new() { Cidr = "0.0.0.0/0" }] }),
            [
                "networking.machineNetwork[0]: Invalid value: \"0.0.0.0/0\": address must be specified",
                "networking.serviceNetwork[0]: Invalid value: \"172.30.0.0/16\": service network must not overlap with any of the machine networks",
                "networking.clusterNetwork[0].cidr: Invalid value: \"10.128.0.0/14\": cluster network must not overlap with any of the machine networks",
            ]),
        ["Rejects_a_machine_network_that_is_not_a_CIDR"] = new(() => SingleStack().WithNetworking(n => n with { MachineNetwork = [new() { Cidr = "10.0.0.0/33" }] }),
            [
                "networking.machineNetwork[0]: Invalid value: \"10.0.0.0/33\": invalid CIDR address: 10.0.0.0/33",
                $"{OpenStack}.apiVIPs: Required value: must specify at least one VIP for the API",
                $"{OpenStack}.ingressVIPs: Required value: must specify at least one VIP for the Ingress",
            ]),
        ["Rejects_overlapping_machine_networks"] = new(() => DualStack().WithNetworking(n => n with { MachineNetwork = [.. n.MachineNetwork, new() { Cidr = "192.168.25.128/25" }] }),
            ["networking.machineNetwork[2]: Invalid value: \"192.168.25.128/25\": machine network must not overlap with machine network 0"]),
        ["Rejects_an_IPv4_service_network_larger_than_a_12"] = new(() => SingleStack().WithNetworking(n => n with { ServiceNetwork = ["172.0.0.0/8"] }),
            ["networking.serviceNetwork[0]: Invalid value: \"172.0.0.0/8\": subnet size for IPv4 service network must be /12 or greater (/16 is recommended)"]),
        ["Rejects_an_IPv6_service_network_larger_than_a_108"] = new(() => DualStack().WithNetworking(n => n with { ServiceNetwork = ["172.30.0.0/16", "fd02::/100"] }),
            ["networking.serviceNetwork[1]: Invalid value: \"fd02::/100\": subnet size for IPv6 service network should be /112"]),
        ["Accepts_an_IPv6_service_network_of_108"] = new(() => DualStack().WithNetworking(n => n with { ServiceNetwork = ["172.30.0.0/16", "fd02::/108"] }), []),
        ["Rejects_a_service_network_overlapping_a_machine_network"] = new(() => SingleStack().WithNetworking(n => n with { ServiceNetwork = ["10.0.128.0/24"] }),
            ["networking.serviceNetwork[0]: Invalid value: \"10.0.128.0/24\": service network must not overlap with any of the machine networks"]),
        ["Rejects_overlapping_service_networks"] = new(() => DualStack().WithNetworking(n => n with { ServiceNetwork = [.. n.ServiceNetwork, "172.30.0.0/24"] }),
            [
                "networking.serviceNetwork[2]: Invalid value: \"172.30.0.0/24\": service network must not overlap with service network 0",
                "networking.serviceNetwork: Invalid value: \"172.30.0.0/16, fd02::/112, 172.30.0.0/24\": when installing dual-stack IPv4/IPv6 you must provide two service networks, one for each IP address type",
            ]),
        ["Rejects_a_cluster_network_overlapping_a_machine_network"] = new(() => SingleStack().WithNetworking(n => n with { ClusterNetwork = [new() { Cidr = "10.0.0.0/14", HostPrefix = 23 }] }),
            ["networking.clusterNetwork[0].cidr: Invalid value: \"10.0.0.0/14\": cluster network must not overlap with any of the machine networks"]),
        ["Rejects_a_cluster_network_overlapping_a_service_network"] = new(() => DualStack().WithNetworking(n => n with { ClusterNetwork = [new() { Cidr = "172.28.0.0/14", HostPrefix = 23 }, n.ClusterNetwork[1]] }),
            ["networking.clusterNetwork[0].cidr: Invalid value: \"172.28.0.0/14\": cluster network must not overlap with service network 0"]),
        ["Rejects_overlapping_cluster_networks"] = new(() => DualStack().WithNetworking(n => n with { ClusterNetwork = [.. n.ClusterNetwork, new() { Cidr = "10.130.0.0/16", HostPrefix = 23 }] }),
            ["networking.clusterNetwork[2].cidr: Invalid value: \"10.130.0.0/16\": cluster network must not overlap with cluster network 0"]),
        ["Rejects_a_negative_hostPrefix"] = new(() => SingleStack().WithNetworking(n => n with { ClusterNetwork = [n.ClusterNetwork[0] with { HostPrefix = -1 }] }),
            ["networking.clusterNetwork[0].hostPrefix: Invalid value: -1: hostPrefix must be positive"]),
        ["Rejects_a_hostPrefix_shorter_than_the_CIDR_prefix"] = new(() => SingleStack().WithNetworking(n => n with { ClusterNetwork = [n.ClusterNetwork[0] with { HostPrefix = 13 }] }),
            ["networking.clusterNetwork[0].hostPrefix: Invalid value: 13: cluster network host subnetwork prefix must not be larger size than CIDR 10.128.0.0/14"]),
        ["Rejects_different_IPv4_hostPrefixes"] = new(() => DualStack().WithNetworking(n => n with { ClusterNetwork = [.. n.ClusterNetwork, new() { Cidr = "10.132.0.0/14", HostPrefix = 24 }] }),
            ["networking.clusterNetwork[2].hostPrefix: Invalid value: 24: cluster network host subnetwork prefix must be the same value for IPv4 networks"]),
        ["Rejects_an_IPv6_hostPrefix_other_than_64"] = new(() => DualStack().WithNetworking(n => n with { ClusterNetwork = [n.ClusterNetwork[0], n.ClusterNetwork[1] with { HostPrefix = 56 }] }),
            ["networking.clusterNetwork[1].hostPrefix: Invalid value: 56: cluster network host subnetwork prefix must be 64 for IPv6 networks"]),
        ["Rejects_a_machine_network_in_the_OVN_join_subnet"] = new(() => SingleStack().WithNetworking(n => n with { MachineNetwork = [new() { Cidr = "100.64.0.0/16" }] }),
            ["networking.machineNetwork[0]: Invalid value: \"100.64.0.0/16\": must not overlap with OVNKubernetes default internal subnet 100.64.0.0/16: please run 'openshift-install explain installconfig.networking.ovnKubernetesConfig.ipv4' for further documentation"]),
        ["Accepts_the_join_range_when_internalJoinSubnet_overrides_it"] = new(() => SingleStack().WithNetworking(n => n with
        {
            MachineNetwork = [new() { Cidr = "100.64.0.0/16" }],
            OvnKubernetesConfig = new() { IPv4 = new() { InternalJoinSubnet = "100.65.0.0/16" } },
        }), []),
        ["Rejects_an_internalJoinSubnet_overlapping_a_machine_network"] = new(() => SingleStack().WithNetworking(n => n with
        {
            OvnKubernetesConfig = new() { IPv4 = new() { InternalJoinSubnet = "10.0.0.0/16" } },
        }), ["networking.ovnKubernetesConfig.ipv4.internalJoinSubnet: Invalid value: \"10.0.0.0/16\": must not overlap with machineNetwork 10.0.128.0/17"]),
        ["Rejects_a_service_network_in_the_OVN_transit_subnet"] = new(() => SingleStack().WithNetworking(n => n with { ServiceNetwork = ["100.88.0.0/16"] }),
            ["networking.serviceNetwork[0]: Invalid value: \"100.88.0.0/16\": must not overlap with OVNKubernetes default transit subnet 100.88.0.0/16"]),
        ["Rejects_an_IPv6_service_network_in_the_OVN_masquerade_subnet"] = new(() => DualStack().WithNetworking(n => n with { ServiceNetwork = ["172.30.0.0/16", "fd69::/112"] }),
            ["networking.serviceNetwork[1]: Invalid value: \"fd69::/112\": must not overlap with OVNKubernetes default masquerade subnet fd69::/112"]),
        ["Rejects_an_IPv6_cluster_network_in_the_OVN_join_subnet"] = new(() => DualStack().WithNetworking(n => n with { ClusterNetwork = [n.ClusterNetwork[0], new() { Cidr = "fd98::/48", HostPrefix = 64 }] }),
            ["networking.clusterNetwork[1].cidr: Invalid value: \"fd98::/48\": must not overlap with OVNKubernetes default internal subnet fd98::/64: please run 'openshift-install explain installconfig.networking.ovnKubernetesConfig.ipv6' for further documentation"]),
        ["Warns_when_a_machine_network_overlaps_the_Docker_bridge"] = new(() => SingleStack().WithNetworking(n => n with { MachineNetwork = [new() { Cidr = "172.17.0.0/16" }] }),
            [], ["networking.machineNetwork[0]: 172.17.0.0/16 overlaps with default Docker Bridge subnet"]),
        ["Rejects_clusterNetworkMTU_outside_AWS"] = new(() => SingleStack().WithNetworking(n => n with { ClusterNetworkMtu = 1400 }),
            ["networking.clusterNetworkMTU: Invalid value: 1400: cluster network MTU is allowed only in AWS deployments"]),

        // ---- §7.7 VIPs --------------------------------------------------------------------------------------------
        ["Accepts_one_VIP_of_each_family_in_user_order"] = new(DualStack, []),
        ["Rejects_missing_VIPs_when_none_can_be_defaulted"] = new(() => UserManagedSingleStack([], []),
            [$"{OpenStack}.apiVIPs: Required value: must specify at least one VIP for the API", $"{OpenStack}.ingressVIPs: Required value: must specify at least one VIP for the Ingress"]),
        ["Rejects_three_API_VIPs"] = new(() => DualStack().WithOpenStack(o => o with { ApiVips = [V4Api, V6Api, "192.168.25.200"] }),
            [$"{OpenStack}.apiVIPs: Too many: 3: must have at most 2 items"]),
        ["Rejects_three_Ingress_VIPs"] = new(() => DualStack().WithOpenStack(o => o with { IngressVips = [V4Ingress, V6Ingress, "192.168.25.80"] }),
            [$"{OpenStack}.ingressVIPs: Too many: 3: must have at most 2 items"]),
        ["Rejects_an_API_VIP_that_is_not_an_IP"] = new(() => SingleStack().WithOpenStack(o => o with { ApiVips = ["foobar"] }),
            [$"{OpenStack}.apiVIPs: Invalid value: \"foobar\": \"foobar\" is not a valid IP", $"{OpenStack}.apiVIPs: Invalid value: \"foobar\": IP expected to be in one of the machine networks: 10.0.128.0/17"]),
        ["Rejects_an_API_VIP_equal_to_an_Ingress_VIP"] = new(() => SingleStack().WithOpenStack(o => o with { ApiVips = ["10.0.128.10"], IngressVips = ["10.0.128.10"] }),
            [$"{OpenStack}.apiVIPs: Invalid value: \"10.0.128.10\": VIP for API must not be one of the Ingress VIPs"]),
        ["Rejects_an_API_VIP_equal_to_an_Ingress_VIP_written_differently"] = new(() => DualStack().WithOpenStack(o => o with
        {
            ApiVips = [V4Api, "fd2e:6f44:5dd8:c956:0:0:0:10"], IngressVips = [V4Ingress, "FD2E:6F44:5DD8:C956::10"],
        }), [$"{OpenStack}.apiVIPs: Invalid value: \"fd2e:6f44:5dd8:c956:0:0:0:10\": VIP for API must not be one of the Ingress VIPs"]),
        ["Rejects_an_API_VIP_outside_the_machine_networks"] = new(() => DualStack().WithOpenStack(o => o with { ApiVips = ["10.1.0.5", V6Api] }),
            [$"{OpenStack}.apiVIPs: Invalid value: \"10.1.0.5\": IP expected to be in one of the machine networks: 192.168.25.0/24,fd2e:6f44:5dd8:c956::/64"]),
        ["Rejects_an_Ingress_VIP_outside_the_machine_networks"] = new(() => DualStack().WithOpenStack(o => o with { IngressVips = [V4Ingress, "fd00::7"] }),
            [$"{OpenStack}.ingressVIPs: Invalid value: \"fd00::7\": IP expected to be in one of the machine networks: 192.168.25.0/24,fd2e:6f44:5dd8:c956::/64"]),
        ["Rejects_an_API_VIP_without_an_Ingress_VIP"] = new(() => UserManagedSingleStack(["10.0.128.10"], []),
            [$"{OpenStack}.ingressVIPs: Required value: must specify VIP for ingress, when VIP for API is set", $"{OpenStack}.ingressVIPs: Required value: must specify at least one VIP for the Ingress"]),
        ["Rejects_an_Ingress_VIP_without_an_API_VIP"] = new(() => UserManagedSingleStack([], ["10.0.128.10"]),
            [$"{OpenStack}.apiVIPs: Required value: must specify at least one VIP for the API", $"{OpenStack}.apiVIPs: Required value: must specify VIP for API, when VIP for ingress is set"]),
        ["Rejects_two_IPv4_apiVIPs"] = new(() => DualStack().WithOpenStack(o => o with { ApiVips = [V4Api, "192.168.25.200"] }),
            [$"{OpenStack}.apiVIPs: Invalid value: [\"{V4Api}\",\"192.168.25.200\"]: If two API VIPs are given, one must be an IPv4 address, the other an IPv6"]),
        ["Rejects_two_identical_apiVIPs"] = new(() => DualStack().WithOpenStack(o => o with { ApiVips = [V4Api, V4Api] }),
            [$"{OpenStack}.apiVIPs: Invalid value: [\"{V4Api}\",\"{V4Api}\"]: If two API VIPs are given, one must be an IPv4 address, the other an IPv6"]),
        ["Rejects_two_IPv6_ingressVIPs"] = new(() => DualStack().WithOpenStack(o => o with { IngressVips = [V6Ingress, "fd2e:6f44:5dd8:c956::80"] }),
            [
                $"{OpenStack}.ingressVIPs: Invalid value: \"{V6Ingress}\": clusterNetwork primary IP Family and primary IP family for the Ingress VIP should match",
                $"{OpenStack}.ingressVIPs: Invalid value: \"{V6Ingress}\": machineNetwork primary IP Family and primary IP family for the Ingress VIP should match",
                $"{OpenStack}.ingressVIPs: Invalid value: \"{V6Ingress}\": serviceNetwork primary IP Family and primary IP family for the Ingress VIP should match",
                $"{OpenStack}.ingressVIPs: Invalid value: [\"{V6Ingress}\",\"fd2e:6f44:5dd8:c956::80\"]: If two Ingress VIPs are given, one must be an IPv4 address, the other an IPv6",
            ]),
        ["Rejects_an_API_VIP_list_that_does_not_start_with_the_primary_family"] = new(() => DualStack().WithOpenStack(o => o with { ApiVips = [V6Api, V4Api] }),
            [
                $"{OpenStack}.apiVIPs: Invalid value: \"{V6Api}\": clusterNetwork primary IP Family and primary IP family for the API VIP should match",
                $"{OpenStack}.apiVIPs: Invalid value: \"{V6Api}\": machineNetwork primary IP Family and primary IP family for the API VIP should match",
                $"{OpenStack}.apiVIPs: Invalid value: \"{V6Api}\": serviceNetwork primary IP Family and primary IP family for the API VIP should match",
            ]),
        ["Rejects_an_IPv4_API_VIP_first_in_an_IPv6_primary_cluster"] = new(() => DualStackV6Primary().WithOpenStack(o => o with { ApiVips = [V4Api, V6Api] }),
            [
                $"{OpenStack}.apiVIPs: Invalid value: \"{V4Api}\": clusterNetwork primary IP Family and primary IP family for the API VIP should match",
                $"{OpenStack}.apiVIPs: Invalid value: \"{V4Api}\": machineNetwork primary IP Family and primary IP family for the API VIP should match",
                $"{OpenStack}.apiVIPs: Invalid value: \"{V4Api}\": serviceNetwork primary IP Family and primary IP family for the API VIP should match",
            ]),
        ["Rejects_two_API_VIPs_when_one_is_not_an_IP"] = new(() => DualStack().WithOpenStack(o => o with { ApiVips = [V4Api, "bogus"] }),
            [
                $"{OpenStack}.apiVIPs: Invalid value: \"bogus\": \"bogus\" is not a valid IP",
                $"{OpenStack}.apiVIPs: Invalid value: \"bogus\": IP expected to be in one of the machine networks: 192.168.25.0/24,fd2e:6f44:5dd8:c956::/64",
                $"{OpenStack}.apiVIPs: Invalid value: [\"{V4Api}\",\"bogus\"]: If two API VIPs are given, one must be an IPv4 address, the other an IPv6",
                $"{OpenStack}: Invalid value: [\"{V4Api}\",\"bogus\"]: invalid IP[1]: bogus",
            ]),
        // ShiftStack rules (docs/deviations.md §9): stricter than openshift-install, and say so.
        ["Rejects_a_single_API_VIP_in_a_dual_stack_cluster"] = new(() => DualStack().WithOpenStack(o => o with { ApiVips = [V4Api] }),
            [$"{OpenStack}.apiVIPs: Invalid value: [\"{V4Api}\"]: a dual-stack cluster needs two API VIPs, one IPv4 and one IPv6 (ShiftStack rule; openshift-install does not enforce it)"]),
        ["Rejects_a_dual_stack_cluster_without_controlPlanePort"] = new(() => DualStack().WithOpenStack(o => o with { ControlPlanePort = null }),
            [$"{OpenStack}.controlPlanePort: Required value: a dual-stack cluster needs controlPlanePort with one IPv4 and one IPv6 subnet, because the installer cannot create a dual-stack network (ShiftStack rule; openshift-install does not enforce it)"]),
        ["Accepts_single_dual_stack_VIPs_with_a_UserManaged_load_balancer"] = new(() => DualStack().WithOpenStack(o => o with
        {
            LoadBalancer = new() { Type = "UserManaged" }, ApiVips = [V4Api], IngressVips = [V4Ingress],
        }), []),

        // ---- generic rules ----------------------------------------------------------------------------------------
        ["Rejects_an_empty_cluster_name"] = new(() => SingleStack() with { Metadata = new() },
            ["metadata.name: Invalid value: \"\": " + Rfc1123]),
        ["Rejects_a_cluster_name_with_a_dot"] = new(() => SingleStack() with { Metadata = new() { Name = "a.b" } },
            ["metadata.name: Invalid value: \"a.b\": cluster name must not contain '.'"]),
        ["Rejects_a_cluster_name_longer_than_54_characters"] = new(() => SingleStack() with { Metadata = new() { Name = new string('a', 55) } },
            [$"metadata.name: Invalid value: \"{new string('a', 55)}\": must be no more than 54 characters"]),
        ["Rejects_an_uppercase_cluster_name"] = new(() => SingleStack() with { Metadata = new() { Name = "MyCluster" } },
            ["metadata.name: Invalid value: \"MyCluster\": " + Rfc1123]),
        ["Rejects_an_empty_baseDomain"] = new(() => SingleStack() with { BaseDomain = null },
            ["baseDomain: Invalid value: \"\": " + Rfc1123]),
        ["Accepts_a_baseDomain_with_a_trailing_dot"] = new(() => SingleStack() with { BaseDomain = "example.com." }, []),
        ["Rejects_a_cluster_domain_longer_than_253_characters"] = new(() => SingleStack() with { BaseDomain = string.Join(".", Enumerable.Repeat(new string('b', 60), 4)) },
            [$"baseDomain: Invalid value: \"manifests1.{string.Join(".", Enumerable.Repeat(new string('b', 60), 4))}\": must be no more than 253 characters"]),
        ["Rejects_a_missing_pull_secret"] = new(() => SingleStack() with { PullSecret = null },
            ["pullSecret: Invalid value: \"\": unexpected end of JSON input"]),
        ["Rejects_a_pull_secret_that_is_not_JSON_without_printing_it"] = new(() => SingleStack() with { PullSecret = new Secret("hunter2") },
            ["pullSecret: Invalid value: \"<redacted>\": the pull secret is not valid JSON"]),
        ["Rejects_a_pull_secret_without_auths"] = new(() => SingleStack() with { PullSecret = new Secret("{\"x\":1}") },
            ["pullSecret: Invalid value: \"<redacted>\": auths required"]),
        ["Rejects_a_pull_secret_entry_without_auth_or_credsStore"] = new(() => SingleStack() with { PullSecret = new Secret("{\"auths\":{\"quay.io\":{\"email\":\"a@b\"},\"r.io\":{\"credsStore\":\"x\"}}}") },
            ["pullSecret: Invalid value: \"<redacted>\": \"quay.io\" requires either auth or credsStore"]),
        ["Rejects_an_SSH_key_that_does_not_parse"] = new(() => SingleStack() with { SshKey = "ssh-rsa AAAA" },
            ["sshKey: Invalid value: \"ssh-rsa AAAA\": ssh: no key found"]),
        ["Accepts_an_ed25519_SSH_key"] = new(() => SingleStack() with { SshKey = Ed25519Key }, []),
        ["Rejects_an_ed25519_SSH_key_with_FIPS"] = new(() => SingleStack() with { SshKey = Ed25519Key, Fips = true },
            [$"sshKey: Invalid value: \"{Ed25519Key}\": SSH key type ssh-ed25519 unavailable when FIPS is enabled. Please use rsa or ecdsa."]),
        ["Rejects_an_additionalTrustBundle_without_PEM"] = new(() => SingleStack() with { AdditionalTrustBundle = "not a cert" },
            ["additionalTrustBundle: Invalid value: \"not a cert\": invalid block"]),
        ["Rejects_an_unknown_additionalTrustBundlePolicy"] = new(() => SingleStack() with { AdditionalTrustBundlePolicy = "Never" },
            ["additionalTrustBundlePolicy: Invalid value: \"Never\": supported values \"Proxyonly\", \"Always\""]),
        ["Rejects_zero_control_plane_replicas"] = new(() => SingleStack() with { ControlPlane = SingleStack().ControlPlane! with { Replicas = 0 } },
            ["controlPlane.replicas: Invalid value: 0: number of control plane replicas must be positive"]),
        ["Accepts_zero_compute_replicas"] = new(() => SingleStack() with { Compute = [new() { Name = "worker", Replicas = 0 }] }, []),
        ["Rejects_negative_compute_replicas"] = new(() => SingleStack() with { Compute = [new() { Name = "worker", Replicas = -1 }] },
            ["compute[0].replicas: Invalid value: -1: number of replicas must not be negative"]),
        ["Rejects_a_compute_pool_not_named_worker"] = new(() => SingleStack() with { Compute = [new() { Name = "infra", Replicas = 1 }] },
            ["compute[0].name: Unsupported value: \"infra\": supported values: \"worker\", \"edge\""]),
        ["Rejects_an_edge_compute_pool_outside_AWS"] = new(() => SingleStack() with { Compute = [new() { Name = "edge", Replicas = 1 }] },
            ["compute[0].name: Unsupported value: \"edge\": supported values: \"worker\""]),
        ["Rejects_duplicate_compute_pool_names"] = new(() => SingleStack() with { Compute = [new() { Name = "worker", Replicas = 1 }, new() { Name = "worker", Replicas = 2 }] },
            ["compute[1].name: Duplicate value: \"worker\""]),
        ["Rejects_an_unknown_hyperthreading_mode"] = new(() => SingleStack() with { ControlPlane = SingleStack().ControlPlane! with { Hyperthreading = "On" } },
            ["controlPlane.hyperthreading: Unsupported value: \"On\": supported values: \"Disabled\", \"Enabled\""]),
        ["Rejects_compute_architecture_different_from_the_control_plane"] = new(() => SingleStack() with { Compute = [new() { Name = "worker", Replicas = 1, Architecture = "arm64" }] },
            ["compute[0].architecture: Invalid value: \"arm64\": heteregeneous multi-arch is not supported; compute pool architecture must match control plane"]),
        ["Rejects_an_unknown_serverGroupPolicy"] = new(() => SingleStack() with
        {
            Compute = [new() { Name = "worker", Replicas = 1, Platform = new() { OpenStack = new() { ServerGroupPolicy = "spread" } } }],
        }, ["compute[0].platform.openstack.serverGroupPolicy: Unsupported value: \"spread\": supported values: \"affinity\", \"anti-affinity\", \"soft-affinity\", \"soft-anti-affinity\""]),
        ["Rejects_an_Internal_publish_strategy"] = new(() => SingleStack() with { Publish = "Internal" },
            ["publish: Invalid value: \"Internal\": Internal publish strategy is not supported on \"openstack\" platform"]),
        ["Rejects_an_unknown_publish_strategy"] = new(() => SingleStack() with { Publish = "Public" },
            ["publish: Unsupported value: \"Public\": supported values: \"External\", \"Internal\", \"Mixed\""]),
        // pkg/types/validation/installconfig.go, ValidateInstallConfig: operatorPublishingStrategy only with publish: Mixed.
        ["Rejects_operatorPublishingStrategy_without_publish_Mixed"] = new(() => SingleStack() with { OperatorPublishingStrategy = new() { ApiServer = "Internal" } },
            ["operatorPublishingStrategy: Invalid value: \"External\": operator publishing strategy is only allowed with mixed publishing strategy installs"]),
        ["Rejects_publish_Mixed_on_OpenStack_with_its_operatorPublishingStrategy"] = new(() => SingleStack() with { Publish = "Mixed", OperatorPublishingStrategy = new() { Ingress = "Internal" } },
            ["publish: Invalid value: \"Mixed\": mixed publish strategy is not supported on \"openstack\" platform"]),
        ["Rejects_publish_Mixed_without_operatorPublishingStrategy"] = new(() => SingleStack() with { Publish = "Mixed" },
            ["publish: Invalid value: \"Mixed\": mixed publish strategy is not supported on \"openstack\" platform", "publish: Invalid value: \"Mixed\": please specify the operator publishing strategy for mixed publish strategy"]),
        ["Rejects_unknown_operator_publishing_values_at_the_references_root_paths"] = new(() => SingleStack() with { Publish = "Mixed", OperatorPublishingStrategy = new() { ApiServer = "Public", Ingress = "Private" } },
            ["publish: Invalid value: \"Mixed\": mixed publish strategy is not supported on \"openstack\" platform",
             "apiserver: Unsupported value: \"Public\": supported values: \"External\", \"Internal\"",
             "ingress: Unsupported value: \"Private\": supported values: \"External\", \"Internal\""]),
        ["Rejects_a_credentialsMode_on_OpenStack"] = new(() => SingleStack() with { CredentialsMode = "Mint" },
            ["credentialsMode: Invalid value: \"Mint\": cannot be set when using the \"openstack\" platform"]),
        ["Rejects_an_unknown_featureSet"] = new(() => SingleStack() with { FeatureSet = "Preview" },
            ["featureSet: Unsupported value: \"Preview\": supported values: \"\", \"CustomNoUpgrade\", \"DevPreviewNoUpgrade\", \"TechPreviewNoUpgrade\""]),
        ["Accepts_TechPreviewNoUpgrade"] = new(() => SingleStack() with { FeatureSet = "TechPreviewNoUpgrade" }, []),
        ["Rejects_featureGates_without_CustomNoUpgrade"] = new(() => SingleStack() with { FeatureGates = ["A=true"] },
            ["featureGates: Forbidden: featureGates can only be used with the CustomNoUpgrade feature set"]),
        ["Rejects_a_malformed_feature_gate"] = new(() => SingleStack() with { FeatureSet = "CustomNoUpgrade", FeatureGates = ["A=true", "B", "C=maybe"] },
            ["featureGates[1]: Invalid value: \"B\": must match the format <feature-name>=<bool>", "featureGates[2]: Invalid value: \"C=maybe\": must match the format <feature-name>=<bool>, could not parse boolean value"]),
        ["Rejects_a_proxy_without_httpProxy_or_httpsProxy"] = new(() => SingleStack() with { Proxy = new() { NoProxy = "example.com" } },
            ["proxy: Required value: must include httpProxy or httpsProxy"]),
        ["Rejects_an_httpProxy_with_the_https_scheme"] = new(() => SingleStack() with { Proxy = new() { HttpProxy = "https://proxy:3128" } },
            ["proxy.httpProxy: Unsupported value: \"https\": supported values: \"http\""]),
        ["Rejects_a_proxy_inside_the_service_network"] = new(() => SingleStack() with { Proxy = new() { HttpsProxy = "http://172.30.0.10:3128" } },
            ["proxy.httpsProxy: Invalid value: \"http://172.30.0.10:3128\": proxy value is part of the service networks"]),
        ["Rejects_a_noProxy_element_with_a_wildcard"] = new(() => SingleStack() with { Proxy = new() { HttpProxy = "http://proxy:3128", NoProxy = ".example.com,*.apps.example.com" } },
            ["proxy.noProxy: Invalid value: \".example.com,*.apps.example.com\": each element of noProxy must be a IP, CIDR or domain without wildcard characters, which is violated by element 1 \"*.apps.example.com\""]),
        ["Accepts_a_proxy"] = new(() => SingleStack() with { Proxy = new() { HttpProxy = "http://user:pw@proxy.example.com:3128", HttpsProxy = "https://[2001:db8::1]:3128", NoProxy = "10.0.0.0/8,fd00::1,.example.com" } }, []),
        ["Rejects_a_platform_other_than_OpenStack"] = new(() => SingleStack() with { Platform = new() { Others = ["aws"] } },
            ["platform: Invalid value: \"aws\": ShiftStack supports only the openstack platform"]),
        ["Rejects_two_platforms"] = new(() => SingleStack() with { Platform = SingleStack().Platform with { Others = ["vsphere"] } },
            ["platform: Invalid value: \"openstack\": must only specify a single type of platform; cannot use both \"openstack\" and \"vsphere\""]),
        ["Rejects_a_missing_platform"] = new(() => SingleStack() with { Platform = new() },
            ["platform: Invalid value: \"\": must specify one of the platforms (aws, azure, baremetal, external, gcp, ibmcloud, none, nutanix, openstack, ovirt, powervs, vsphere)"]),
        ["Rejects_capabilities_that_disable_cloud_components_on_OpenStack"] = new(() => SingleStack() with { Capabilities = new() { BaselineCapabilitySet = "None", AdditionalEnabledCapabilities = ["Ingress", "CloudControllerManager"] } },
            ["capabilities: Invalid value: {\"baselineCapabilitySet\":\"None\",\"additionalEnabledCapabilities\":[\"Ingress\",\"CloudControllerManager\"]}: disabling CloudCredential capability available only for baremetal platforms"]),
        // pkg/types/validation/installconfig.go, validateCapabilities, then ValidateInstallConfig on the enabled set: an
        // unknown baseline enables nothing, so the cloud components count as disabled too.
        ["Rejects_an_unknown_baseline_capability_set"] = new(() => SingleStack() with { Capabilities = new() { BaselineCapabilitySet = "v9" } },
            ["capabilities.baselineCapabilitySet: Unsupported value: \"v9\": supported values: \"None\", \"v4.11\", \"v4.12\", \"v4.13\", \"v4.14\", \"v4.15\", \"v4.16\", \"v4.17\", \"v4.18\", \"vCurrent\"",
             "capabilities: Invalid value: {\"baselineCapabilitySet\":\"v9\"}: disabling CloudCredential capability available only for baremetal platforms",
             "capabilities: Invalid value: {\"baselineCapabilitySet\":\"v9\"}: disabling CloudControllerManager is only supported on the Baremetal, None, or External platform with cloudControllerManager value none",
             "capabilities: Invalid value: {\"baselineCapabilitySet\":\"v9\"}: the Ingress capability is required"]),
        ["Rejects_an_unknown_additional_capability"] = new(() => SingleStack() with { Capabilities = new() { BaselineCapabilitySet = "vCurrent", AdditionalEnabledCapabilities = ["Console", "Consol"] } },
            ["capabilities.additionalEnabledCapabilities[1]: Unsupported value: \"Consol\": supported values: \"Build\", \"CSISnapshot\", \"CloudControllerManager\", \"CloudCredential\", \"Console\", \"DeploymentConfig\", \"ImageRegistry\", \"Ingress\", \"Insights\", \"MachineAPI\", \"NodeTuning\", \"OperatorLifecycleManager\", \"OperatorLifecycleManagerV1\", \"Storage\", \"baremetal\", \"marketplace\", \"openshift-samples\""]),
        // ValidateInstallConfig: the baseline set's own capabilities count (openshift/api ClusterVersionCapabilitySets);
        // v4.14 has marketplace but not OperatorLifecycleManager nor CloudCredential (v4.15), Ingress and
        // CloudControllerManager (v4.16).
        ["Rejects_an_older_baseline_that_lacks_the_cloud_capabilities"] = new(() => SingleStack() with { Capabilities = new() { BaselineCapabilitySet = "v4.14" } },
            ["additionalEnabledCapabilities: Invalid value: []: the marketplace capability requires the OperatorLifecycleManager capability",
             "capabilities: Invalid value: {\"baselineCapabilitySet\":\"v4.14\"}: disabling CloudCredential capability available only for baremetal platforms",
             "capabilities: Invalid value: {\"baselineCapabilitySet\":\"v4.14\"}: disabling CloudControllerManager is only supported on the Baremetal, None, or External platform with cloudControllerManager value none",
             "capabilities: Invalid value: {\"baselineCapabilitySet\":\"v4.14\"}: the Ingress capability is required"]),
        ["Accepts_an_older_baseline_with_the_cloud_capabilities_added"] = new(() => SingleStack() with
        {
            Capabilities = new() { BaselineCapabilitySet = "v4.14", AdditionalEnabledCapabilities = ["OperatorLifecycleManager", "CloudCredential", "CloudControllerManager", "Ingress"] },
        }, []),
        ["Accepts_v4_16_which_has_the_cloud_capabilities"] = new(() => SingleStack() with { Capabilities = new() { BaselineCapabilitySet = "v4.16" } }, []),
        // validateCapabilities: an empty baseline is not one of the sets (what it enables afterwards is vCurrent's).
        ["Rejects_capabilities_without_a_baseline"] = new(() => SingleStack() with { Capabilities = new() { AdditionalEnabledCapabilities = ["baremetal"] } },
            ["capabilities.baselineCapabilitySet: Unsupported value: \"\": supported values: \"None\", \"v4.11\", \"v4.12\", \"v4.13\", \"v4.14\", \"v4.15\", \"v4.16\", \"v4.17\", \"v4.18\", \"vCurrent\""]),
        // v4.11 has marketplace but not OperatorLifecycleManager.
        ["Rejects_marketplace_without_OperatorLifecycleManager"] = new(() => SingleStack() with
        {
            Capabilities = new() { BaselineCapabilitySet = "v4.11", AdditionalEnabledCapabilities = ["CloudCredential", "CloudControllerManager", "Ingress"] },
        }, ["additionalEnabledCapabilities: Invalid value: [\"CloudCredential\",\"CloudControllerManager\",\"Ingress\"]: the marketplace capability requires the OperatorLifecycleManager capability"]),
        // pkg/types/validation/installconfig.go, ValidateInstallConfig: both operator strategies Internal is refused.
        ["Rejects_both_operator_publishing_strategies_Internal"] = new(() => SingleStack() with { Publish = "Mixed", OperatorPublishingStrategy = new() { ApiServer = "Internal", Ingress = "Internal" } },
            ["publish: Invalid value: \"Mixed\": mixed publish strategy is not supported on \"openstack\" platform",
             "publish: Invalid value: \"Internal\": cannot set both fields to internal in a mixed cluster, use publish internal instead"]),
        // pkg/types/validation/installconfig.go, ValidateInstallConfig: publish is judged before the image sources.
        ["Rejects_an_unknown_publish_before_both_image_source_lists"] = new(() => SingleStack() with
        {
            Publish = "Public",
            ImageContentSources = [new() { Source = "quay.io/openshift-release-dev/ocp-release", Mirrors = ["mirror.example.com/ocp"] }],
            ImageDigestSources = [new() { Source = "quay.io/openshift-release-dev/ocp-release", Mirrors = ["mirror.example.com/ocp"] }],
        }, ["publish: Unsupported value: \"Public\": supported values: \"External\", \"Internal\", \"Mixed\"",
            "imageContentSources: Invalid value: \"Public\": cannot set imageContentSources and imageDigestSources at the same time"]),
        // pkg/types/validation/installconfig.go, ValidateInstallConfig and validateArbiter: HighlyAvailableArbiter is in
        // the Default feature set, and an arbiter pool is for bare metal only.
        ["Rejects_an_arbiter_pool_on_OpenStack"] = new(() => SingleStack() with { ControlPlane = SingleStack().ControlPlane! with { Replicas = 2 }, Arbiter = new() { Name = "arbiter", Replicas = 1 } },
            ["arbiter.platform: Unsupported value: \"openstack\": supported values: \"baremetal\""]),
        ["Rejects_an_arbiter_pool_with_its_own_mistakes"] = new(() => SingleStack() with
        {
            Arbiter = new() { Name = "witness", Replicas = 0, Hyperthreading = "On", Platform = new() { OpenStack = new() { ServerGroupPolicy = "spread" } } },
        }, ["arbiter.platform: Unsupported value: \"openstack\": supported values: \"baremetal\"",
            "arbiter.name: Unsupported value: \"witness\": supported values: \"arbiter\"",
            "arbiter.replicas: Invalid value: 0: number of arbiter replicas must be positive",
            "arbiter.hyperthreading: Unsupported value: \"On\": supported values: \"Disabled\", \"Enabled\"",
            "arbiter.platform.openstack.serverGroupPolicy: Unsupported value: \"spread\": supported values: \"affinity\", \"anti-affinity\", \"soft-affinity\", \"soft-anti-affinity\""]),
        ["Rejects_an_arbiter_pool_beside_one_control_plane_replica"] = new(() => SingleStack() with { ControlPlane = SingleStack().ControlPlane! with { Replicas = 1 }, Arbiter = new() { Name = "arbiter", Replicas = 1 } },
            ["arbiter.platform: Unsupported value: \"openstack\": supported values: \"baremetal\"",
             "arbiter.replicas: Invalid value: 1: number of controlPlane replicas must be at least 2 for arbiter deployments"]),
        ["Rejects_an_arbiter_pool_when_CustomNoUpgrade_leaves_its_gate_off"] = new(() => SingleStack() with
        {
            FeatureSet = "CustomNoUpgrade", FeatureGates = ["HighlyAvailableArbiter=false"], Arbiter = new() { Name = "arbiter", Replicas = 1 },
        }, ["arbiter: Forbidden: HighlyAvailableArbiter feature must be enabled in order to use arbiter cluster deployment"]),
        ["Rejects_an_arbiter_pool_on_OpenStack_when_CustomNoUpgrade_enables_its_gate"] = new(() => SingleStack() with
        {
            FeatureSet = "CustomNoUpgrade", FeatureGates = ["HighlyAvailableArbiter=false", "HighlyAvailableArbiter=1"], Arbiter = new() { Name = "arbiter", Replicas = 1 },
        }, ["arbiter.platform: Unsupported value: \"openstack\": supported values: \"baremetal\""]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Rule(string name)
    {
        // Given a config built for this rule
        var c = Cases[name];

        // When it is processed
        var result = Process(c.Build());

        // Then exactly the expected errors (and warnings) come out, in order
        result.Errors.Select(e => e.ToString()).ShouldBe(c.Errors);
        if (c.Warnings is not null)
        {
            result.Warnings.Select(w => w.ToString()).ShouldBe(c.Warnings);
        }
        if (name.StartsWith("Accepts", StringComparison.Ordinal))
        {
            result.IsValid.ShouldBeTrue();
        }
    }

    [Fact]
    public void Every_rule_has_a_valid_and_an_invalid_case()
    {
        Cases.Keys.Count(k => k.StartsWith("Accepts", StringComparison.Ordinal)).ShouldBeGreaterThan(10);
        Cases.Keys.Count(k => k.StartsWith("Rejects", StringComparison.Ordinal)).ShouldBeGreaterThan(60);
        Cases.Where(kv => kv.Key.StartsWith("Rejects", StringComparison.Ordinal)).ShouldAllBe(kv => kv.Value.Errors.Length > 0);
    }
}
