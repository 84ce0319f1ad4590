using System.Globalization;
using ShiftStack.InstallConfig.Validation;
using ShiftStack.Networking;

namespace ShiftStack.InstallConfig.Processing;

/// <summary>
/// Networking rules of install-config.md §7.3–§7.5 (reference <c>validateNetworking</c>,
/// <c>validateNetworkingIPVersion</c>, <c>validateOVNKubernetesConfig</c>; HEAD wording).
/// </summary>
internal static class NetworkingRules
{
    private static readonly FieldPath Networking = FieldPath.Root("networking");

    public static readonly Cidr DockerBridge = Cidr.Parse("172.17.0.0/16");

    private static readonly (Cidr Join, Cidr Transit, Cidr Masquerade) OvnV4 =
        (Cidr.Parse("100.64.0.0/16"), Cidr.Parse("100.88.0.0/16"), Cidr.Parse("169.254.0.0/17"));

    private static readonly (Cidr Join, Cidr Transit, Cidr Masquerade) OvnV6 =
        (Cidr.Parse("fd98::/64"), Cidr.Parse("fd97::/64"), Cidr.Parse("fd69::/112"));

    /// <summary>validateNetworking (§7.4, §7.5).</summary>
    public static void ValidateNetworking(NetworkingConfig n, ParsedNetworks p, FieldErrorList errors, List<FieldWarning> warnings)
    {
        if (string.IsNullOrEmpty(n.NetworkType))
        {
            errors.Add(FieldError.Required(Networking.Child("networkType"), "network provider type required"));
        }
        if (string.Equals(n.NetworkType, "Kuryr", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(FieldError.Invalid(Networking.Child("networkType"), n.NetworkType, "networkType Kuryr is not supported on OpenShift later than 4.14"));
        }
        if (string.Equals(n.NetworkType, "OpenShiftSDN", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(FieldError.Invalid(Networking.Child("networkType"), n.NetworkType, "networkType OpenShiftSDN is not supported, please use OVNKubernetes"));
        }

        if (n.MachineNetwork.Count == 0)
        {
            errors.Add(FieldError.Required(Networking.Child("machineNetwork"), "at least one machine network is required"));
        }
        for (var i = 0; i < n.MachineNetwork.Count; i++)
        {
            var path = Networking.Child("machineNetwork").Index(i);
            if (!SubnetCidr(n.MachineNetwork[i].Cidr, p.Machine[i], path, errors, service: false))
            {
                continue;
            }
            var mn = p.Machine[i]!.Value;
            if (mn.Overlaps(DockerBridge))
            {
                warnings.Add(new FieldWarning(path, $"{mn.InstallerText} overlaps with default Docker Bridge subnet"));
            }
            NotOverlapDefaultOvnSubnets(n, p, mn, path, errors);
            for (var j = 0; j < i; j++)
            {
                if (p.Machine[j] is { } other && mn.Overlaps(other))
                {
                    errors.Add(FieldError.Invalid(path, mn.InstallerText, string.Create(CultureInfo.InvariantCulture, $"machine network must not overlap with machine network {j}")));
                }
            }
        }

        if (n.ServiceNetwork.Count == 0)
        {
            errors.Add(FieldError.Required(Networking.Child("serviceNetwork"), "a service network is required"));
        }
        for (var i = 0; i < n.ServiceNetwork.Count; i++)
        {
            var path = Networking.Child("serviceNetwork").Index(i);
            if (!SubnetCidr(n.ServiceNetwork[i], p.Service[i], path, errors, service: true))
            {
                continue;
            }
            var sn = p.Service[i]!.Value;
            if (sn.Overlaps(DockerBridge))
            {
                warnings.Add(new FieldWarning(path, $"{sn.InstallerText} overlaps with default Docker Bridge subnet"));
            }
            NotOverlapDefaultOvnSubnets(n, p, sn, path, errors);
            foreach (var mn in ParsedNetworks.Valid(p.Machine))
            {
                if (sn.Overlaps(mn))
                {
                    errors.Add(FieldError.Invalid(path, sn.InstallerText, "service network must not overlap with any of the machine networks"));
                }
            }
            for (var j = 0; j < i; j++)
            {
                if (p.Service[j] is { } other && sn.Overlaps(other))
                {
                    errors.Add(FieldError.Invalid(path, sn.InstallerText, string.Create(CultureInfo.InvariantCulture, $"service network must not overlap with service network {j}")));
                }
            }
        }

        if (n.ClusterNetwork.Count == 0)
        {
            errors.Add(FieldError.Required(Networking.Child("clusterNetwork"), "cluster network required"));
        }
        for (var i = 0; i < n.ClusterNetwork.Count; i++)
        {
            ValidateClusterNetwork(n, p, i, errors, warnings);
        }
    }

    private static void ValidateClusterNetwork(NetworkingConfig n, ParsedNetworks p, int idx, FieldErrorList errors, List<FieldWarning> warnings)
    {
        var entry = n.ClusterNetwork[idx];
        var path = Networking.Child("clusterNetwork").Index(idx);
        var cidrPath = path.Child("cidr");
        if (!SubnetCidr(entry.Cidr, p.Cluster[idx], cidrPath, errors, service: false))
        {
            return;
        }
        var cn = p.Cluster[idx]!.Value;
        if (cn.Overlaps(DockerBridge))
        {
            // The reference logs this at fldPath.Index(idx), i.e. "networking.clusterNetwork[i][i]"; ShiftStack names the field.
            warnings.Add(new FieldWarning(cidrPath, $"{cn.InstallerText} overlaps with default Docker Bridge subnet"));
        }
        NotOverlapDefaultOvnSubnets(n, p, cn, cidrPath, errors);
        foreach (var mn in ParsedNetworks.Valid(p.Machine))
        {
            if (cn.Overlaps(mn))
            {
                errors.Add(FieldError.Invalid(cidrPath, cn.InstallerText, "cluster network must not overlap with any of the machine networks"));
            }
        }
        for (var i = 0; i < p.Service.Count; i++)
        {
            if (p.Service[i] is { } sn && cn.Overlaps(sn))
            {
                errors.Add(FieldError.Invalid(cidrPath, cn.InstallerText, string.Create(CultureInfo.InvariantCulture, $"cluster network must not overlap with service network {i}")));
            }
        }
        for (var i = 0; i < idx; i++)
        {
            if (p.Cluster[i] is { } other && cn.Overlaps(other))
            {
                errors.Add(FieldError.Invalid(cidrPath, cn.InstallerText, string.Create(CultureInfo.InvariantCulture, $"cluster network must not overlap with cluster network {i}")));
            }
        }

        // hostPrefix is checked when the plugin uses it (OVNKubernetes, exact spelling) or when it is set.
        if (n.NetworkType == "OVNKubernetes" || entry.HostPrefix != 0)
        {
            var hpPath = path.Child("hostPrefix");
            if (entry.HostPrefix < 0)
            {
                errors.Add(FieldError.Invalid(hpPath, entry.HostPrefix, "hostPrefix must be positive"));
            }
            else if (entry.HostPrefix < cn.PrefixLength)
            {
                errors.Add(FieldError.Invalid(hpPath, entry.HostPrefix, "cluster network host subnetwork prefix must not be larger size than CIDR " + cn.InstallerText));
            }
            else if (cn.Family == IpFamily.IPv4)
            {
                for (var i = 0; i < idx; i++)
                {
                    if (p.Cluster[i] is { Family: IpFamily.IPv4 } && n.ClusterNetwork[i].HostPrefix != entry.HostPrefix)
                    {
                        errors.Add(FieldError.Invalid(hpPath, entry.HostPrefix, "cluster network host subnetwork prefix must be the same value for IPv4 networks"));
                        break;
                    }
                }
            }
            else if (entry.HostPrefix != 64)
            {
                errors.Add(FieldError.Invalid(hpPath, entry.HostPrefix, "cluster network host subnetwork prefix must be 64 for IPv6 networks"));
            }
        }
    }

    /// <summary>
    /// validate.SubnetCIDR / ServiceSubnetCIDR. Returns false (after reporting) when the entry is unusable.
    /// </summary>
    /// <remarks>
    /// An unparseable CIDR is a load error in the reference ("failed to Parse cidr string to net.IPNet: invalid CIDR
    /// address: x" while unmarshalling). ShiftStack keeps CIDRs as strings, so it reports it here, at the same
    /// field, with Go's <c>net.ParseCIDR</c> message.
    /// </remarks>
    private static bool SubnetCidr(string? text, Cidr? parsed, FieldPath path, FieldErrorList errors, bool service)
    {
        if (parsed is not { } c)
        {
            var parseError = Cidr.TryParse(text ?? string.Empty, out _, out var e) ? string.Empty : e;
            errors.Add(FieldError.Invalid(path, text ?? string.Empty, parseError));
            return false;
        }
        if (c.IsUnspecified)
        {
            errors.Add(FieldError.Invalid(path, c.InstallerText, "address must be specified"));
            return false;
        }
        if (!c.IsNetworkAddress)
        {
            errors.Add(FieldError.Invalid(path, c.InstallerText, $"invalid network address. got {c.InstallerText}, expecting {ParsedNetworks.NetworkText(c)}"));
            return false;
        }
        if (service)
        {
            if (c.Family == IpFamily.IPv4 && c.PrefixLength < 12)
            {
                errors.Add(FieldError.Invalid(path, c.InstallerText, "subnet size for IPv4 service network must be /12 or greater (/16 is recommended)"));
                return false;
            }
            if (c.Family == IpFamily.IPv6 && c.PrefixLength < 108)
            {
                errors.Add(FieldError.Invalid(path, c.InstallerText, "subnet size for IPv6 service network should be /112"));
                return false;
            }
        }
        return true;
    }

    private static void NotOverlapDefaultOvnSubnets(NetworkingConfig n, ParsedNetworks p, Cidr network, FieldPath path, FieldErrorList errors)
    {
        if (!string.Equals(n.NetworkType, "OVNKubernetes", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var ipv4 = network.Family == IpFamily.IPv4;
        var (join, transit, masquerade) = ipv4 ? OvnV4 : OvnV6;
        // The IPv4 join subnet is skipped when the user overrides it (the override is validated separately).
        var joinOverridden = ipv4 && !string.IsNullOrEmpty(n.OvnKubernetesConfig?.IPv4?.InternalJoinSubnet);
        if (!joinOverridden && network.Overlaps(join))
        {
            errors.Add(FieldError.Invalid(path, network.InstallerText,
                $"must not overlap with OVNKubernetes default internal subnet {join.InstallerText}: please run " +
                $"'openshift-install explain installconfig.networking.ovnKubernetesConfig.{(ipv4 ? "ipv4" : "ipv6")}' for further documentation"));
        }
        if (network.Overlaps(transit))
        {
            errors.Add(FieldError.Invalid(path, network.InstallerText, $"must not overlap with OVNKubernetes default transit subnet {transit.InstallerText}"));
        }
        if (network.Overlaps(masquerade))
        {
            errors.Add(FieldError.Invalid(path, network.InstallerText, $"must not overlap with OVNKubernetes default masquerade subnet {masquerade.InstallerText}"));
        }
    }

    /// <summary>validateNetworkingIPVersion with OpenStack's allowV6Primary=true (§7.3), plus ShiftStack warnings.</summary>
    public static void ValidateIPVersion(NetworkingConfig n, ParsedNetworks p, FieldErrorList errors, List<FieldWarning> warnings)
    {
        var hasV4 = p.ServiceHas(IpFamily.IPv4);
        var hasV6 = p.ServiceHas(IpFamily.IPv6);
        if (hasV4 && hasV6)
        {
            if (n.ServiceNetwork.Count != 2)
            {
                errors.Add(FieldError.Invalid(Networking.Child("serviceNetwork"), Join(ParsedNetworks.Valid(p.Service)),
                    "when installing dual-stack IPv4/IPv6 you must provide two service networks, one for each IP address type"));
            }
            // OpenStack is an allowed dual-stack platform, with IPv6-primary allowed (4.15+): no platform error.
            // The reference walks a Go map here (random order); ShiftStack uses the sorted list names.
            foreach (var (name, list) in p.Lists())
            {
                if (list.Count == 0)
                {
                    continue;
                }
                var v4 = list.Any(c => c.Family == IpFamily.IPv4);
                var v6 = list.Any(c => c.Family == IpFamily.IPv6);
                if (v4 && !v6)
                {
                    errors.Add(FieldError.Invalid(Networking.Child(name), Join(list), "dual-stack IPv4/IPv6 requires an IPv6 network in this list"));
                }
                else if (!v4 && v6)
                {
                    errors.Add(FieldError.Invalid(Networking.Child(name), Join(list), "dual-stack IPv4/IPv6 requires an IPv4 network in this list"));
                }
            }

            // ShiftStack (docs/deviations.md §9): the reference does not check that the lists share one primary family.
            var primaries = p.Lists().Where(l => l.Cidrs.Count > 0).Select(l => (l.Name, Family: l.Cidrs[0].Family)).ToList();
            if (primaries.Select(x => x.Family).Distinct().Count() > 1)
            {
                warnings.Add(new FieldWarning(Networking,
                    "the network lists do not share one primary IP family (" +
                    string.Join(", ", primaries.Select(x => $"{x.Name} is {x.Family}-primary")) +
                    "); list the same family first everywhere (openshift-install does not check this)"));
            }
        }
        else if (hasV6)
        {
            // Single-stack IPv6 is allowed on OpenStack.
        }
        else if (hasV4)
        {
            if (n.ServiceNetwork.Count > 1)
            {
                errors.Add(FieldError.Invalid(Networking.Child("serviceNetwork"), Join(ParsedNetworks.Valid(p.Service)), "only one service network can be specified"));
            }
        }

        // ShiftStack (docs/deviations.md §9): dual-stack is detected from serviceNetwork only.
        if (!(hasV4 && hasV6) && (hasV4 || hasV6))
        {
            foreach (var (name, list) in p.Lists())
            {
                if (name != "serviceNetwork" && list.Any(c => c.Family == IpFamily.IPv4) && list.Any(c => c.Family == IpFamily.IPv6))
                {
                    warnings.Add(new FieldWarning(Networking.Child(name),
                        $"{name} holds IPv4 and IPv6 networks, but the cluster is not dual-stack because serviceNetwork holds only " +
                        $"{(hasV4 ? "IPv4" : "IPv6")}; openshift-install (and ShiftStack) detect dual-stack from serviceNetwork only"));
                }
            }
        }
    }

    /// <summary>clusterNetworkMTU is AWS-only.</summary>
    public static void ValidateClusterNetworkMtu(NetworkingConfig n, FieldErrorList errors)
    {
        if (n.ClusterNetworkMtu is { } mtu && mtu != 0)
        {
            errors.Add(FieldError.Invalid(Networking.Child("clusterNetworkMTU"), mtu, "cluster network MTU is allowed only in AWS deployments"));
        }
    }

    /// <summary>validateOVNKubernetesConfig.</summary>
    public static void ValidateOvnKubernetesConfig(NetworkingConfig n, ParsedNetworks p, FieldErrorList errors)
    {
        if (n.OvnKubernetesConfig is null)
        {
            return;
        }
        if (!string.Equals(n.NetworkType, "OVNKubernetes", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(FieldError.Invalid(Networking.Child("networkType"), n.NetworkType ?? string.Empty, "ovnKubernetesConfig may only be specified with the OVNKubernetes networkType"));
        }
        var text = n.OvnKubernetesConfig.IPv4?.InternalJoinSubnet;
        if (text is null)
        {
            return;
        }
        var path = Networking.Child("ovnKubernetesConfig", "ipv4", "internalJoinSubnet");
        if (!SubnetCidr(text, p.JoinSubnet, path, errors, service: false))
        {
            return;
        }
        var join = p.JoinSubnet!.Value;
        foreach (var cn in ParsedNetworks.Valid(p.Cluster))
        {
            if (join.Overlaps(cn))
            {
                errors.Add(FieldError.Invalid(path, join.InstallerText, $"must not overlap with clusterNetwork {cn.InstallerText}"));
            }
        }
        foreach (var mn in ParsedNetworks.Valid(p.Machine))
        {
            if (join.Overlaps(mn))
            {
                errors.Add(FieldError.Invalid(path, join.InstallerText, $"must not overlap with machineNetwork {mn.InstallerText}"));
            }
        }
        foreach (var sn in ParsedNetworks.Valid(p.Service))
        {
            if (join.Overlaps(sn))
            {
                errors.Add(FieldError.Invalid(path, join.InstallerText, $"must not overlap with serviceNetwork {sn.InstallerText}"));
            }
        }
        // isV4NodeSubnetLargeEnough (as CNO checks it; reconstructed, unconfirmed in detail): every possible node of the
        // IPv4 cluster networks needs an address in the join subnet, minus network, broadcast and gateway.
        if (join.Family == IpFamily.IPv4)
        {
            System.Numerics.BigInteger nodes = 0;
            for (var i = 0; i < n.ClusterNetwork.Count; i++)
            {
                if (p.Cluster[i] is { Family: IpFamily.IPv4 } cn && n.ClusterNetwork[i].HostPrefix >= cn.PrefixLength)
                {
                    nodes += System.Numerics.BigInteger.One << (n.ClusterNetwork[i].HostPrefix - cn.PrefixLength);
                }
            }
            var capacity = (System.Numerics.BigInteger.One << (32 - join.PrefixLength)) - 3;
            if (nodes >= capacity)
            {
                errors.Add(FieldError.Invalid(path, join.InstallerText, "ipv4InternalJoinSubnet is not large enough for the maximum number of nodes which can be supported by ClusterNetwork"));
            }
        }
    }

    private static string Join(IEnumerable<Cidr> cidrs) => string.Join(", ", cidrs.Select(c => c.InstallerText));
}
