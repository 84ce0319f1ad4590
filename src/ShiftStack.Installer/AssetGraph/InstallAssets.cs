using ShiftStack.InstallConfig;
using ShiftStack.Installer.Assets;
using ShiftStack.Installer.Documents;
using ShiftStack.Installer.Ignition;
using ShiftStack.Installer.Lookups;
using ShiftStack.Installer.Manifests;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Validation;
using ShiftStack.OpenStack;

namespace ShiftStack.Installer.AssetGraph;

/// <summary>
/// The asset graph of <c>create manifests</c> and <c>create ignition-configs</c>. Every asset is a singleton;
/// an <see cref="AssetStore"/> generates each at most once per run.
/// </summary>
/// <remarks>
/// install-config ─┬─ cluster state (infraID, cluster UUID, root CA; persisted) ── cluster identity
///                 ├─ cloud facts (Neutron look-ups, once) ─┐
///                 └─ machine pools ─┬───────────────────────┴─ cluster inputs ─┬─ manifests (MAPI, CAPO, config CRs, MachineConfigs)
///                                   └─ cluster machines ──────────────────────┘ └─ Ignition (pointer, bootstrap), metadata.json
/// </remarks>
public static class InstallAssets
{
    /// <summary>The processed install-config (load, up-convert, defaults, static validation).</summary>
    public static Asset<InstallConfiguration> InstallConfig { get; } = new InstallConfigAsset();

    /// <summary>The state kept under <c>.shiftstack/</c>: generated once, then reused.</summary>
    public static Asset<ClusterState> State { get; } = new ClusterStateAsset();

    /// <summary>Cluster name, infraID and cluster UUID.</summary>
    public static Asset<ClusterIdentity> Identity { get; } = new Derived<ClusterIdentity>("Cluster Identity", [State],
        c => c.Get(State).Identity);

    /// <summary>The Neutron facts the generators need.</summary>
    public static Asset<CloudFacts> Facts { get; } = new CloudFactsAsset();

    /// <summary>The merged machine pools.</summary>
    public static Asset<ResolvedPools> Pools { get; } = new Derived<ResolvedPools>("Machine Pools", [InstallConfig], c => ResolvedPools.From(c.Get(InstallConfig)));

    /// <summary>Everything the OpenStack generators read.</summary>
    public static Asset<ClusterInputs> Inputs { get; } = new Derived<ClusterInputs>("Cluster Inputs", [InstallConfig, Identity, Pools, Facts],
        c => new ClusterInputs(c.Get(InstallConfig), c.Get(Identity), c.Get(Pools), c.Get(Facts)));

    /// <summary>
    /// The cluster's machines (names, roles, pools, failure domains, ports, server groups, flavors, Ignition), described
    /// once: the CAPO and machine-API manifests name them, provisioning creates them, the quota check counts them.
    /// </summary>
    public static Asset<ClusterMachines> Machines { get; } = new Derived<ClusterMachines>("Cluster Machines", [InstallConfig, Identity, Pools],
        c => ClusterMachines.From(c.Get(InstallConfig), c.Get(Identity).InfraId, c.Get(Pools)));

    /// <summary>The master and worker pointer Ignition configs.</summary>
    public static Asset<PointerIgnitions> PointerIgnition { get; } = new Derived<PointerIgnitions>("Pointer Ignition Configs", [Inputs, State], c =>
    {
        var inputs = c.Get(Inputs);
        var ca = c.Get(State).RootCa.CertificatePem;
        return new PointerIgnitions(
            JsonText.Write(IgnitionConfigs.Pointer(inputs.ClusterDomain, ca, MachineRole.Master)),
            JsonText.Write(IgnitionConfigs.Pointer(inputs.ClusterDomain, ca, MachineRole.Worker)));
    });

    /// <summary>The bootstrap Ignition config.</summary>
    public static Asset<BootstrapIgnition> Bootstrap { get; } = new Derived<BootstrapIgnition>("Bootstrap Ignition Config", [Inputs], c =>
        new BootstrapIgnition(JsonText.Write(IgnitionConfigs.Bootstrap(c.Get(Inputs), BootstrapNodeIp(c.Inputs)))));

    /// <summary>Control-plane Machines, the ControlPlaneMachineSet, the master user-data secret and MachineConfigs.</summary>
    public static Asset<FileSet> MasterMachines { get; } = new Derived<FileSet>("Master Machines", [Inputs, Machines, PointerIgnition], c =>
    {
        var inputs = c.Get(Inputs);
        var specs = new List<GeneratedFileSpec>(MachineManifests.ControlPlane(inputs, c.Get(Machines)))
        {
            MachineConfigManifests.UserDataSecret(MachineRole.Master, c.Get(PointerIgnition).Master),
        };
        return Render(specs);
    });

    /// <summary>Worker MachineSets and the worker user-data secret.</summary>
    public static Asset<FileSet> WorkerMachines { get; } = new Derived<FileSet>("Worker Machines", [Inputs, PointerIgnition], c =>
    {
        var specs = new List<GeneratedFileSpec>(MachineManifests.Workers(c.Get(Inputs)))
        {
            MachineConfigManifests.UserDataSecret(MachineRole.Worker, c.Get(PointerIgnition).Worker),
        };
        return Render(specs);
    });

    /// <summary>The installer's MachineConfigs: dual-stack kernel arguments, SSH keys.</summary>
    public static Asset<FileSet> MachineConfigs { get; } = new Derived<FileSet>("Machine Configs", [Inputs], c =>
    {
        var inputs = c.Get(Inputs);
        return Render([.. MachineConfigManifests.DualStack(inputs), .. MachineConfigManifests.SshKeys(inputs)]);
    });

    /// <summary>Infrastructure, Network, cluster-config, cloud-provider-config, FeatureGate, pull secret.</summary>
    public static Asset<FileSet> ClusterConfigs { get; } = new Derived<FileSet>("Cluster Config Manifests", [Inputs], c =>
    {
        var inputs = c.Get(Inputs);
        return new FileSet([
            ClusterManifests.Infrastructure(inputs).Render(),
            ClusterManifests.Network(inputs).Render(),
            ClusterManifests.ClusterConfig(inputs).Render(),
            ClusterManifests.CloudProviderConfig(inputs).Render(),
            ClusterManifests.FeatureGate(inputs).Render(),
            ClusterManifests.PullSecret(inputs).Render(secret: true),
        ]);
    });

    /// <summary>
    /// The CAPI Namespace and Cluster, the CAPO OpenStackCluster, and an OpenStackMachine and a CAPI Machine per machine
    /// the installer creates (bootstrap, control plane).
    /// </summary>
    public static Asset<FileSet> CapiManifestFiles { get; } = new Derived<FileSet>("Cluster API Manifests", [Inputs, Machines], c =>
    {
        var inputs = c.Get(Inputs);
        var servers = c.Get(Machines).InstallerMachines;
        var files = Render([
            CapiManifests.NamespaceFile(),
            CapiManifests.Cluster(inputs),
            CapiManifests.OpenStackCluster(inputs),
            .. servers.Select(s => CapiManifests.OpenStackMachine(inputs, s)),
            .. servers.Select(s => CapiManifests.Machine(inputs, s)),
        ]).Files.ToList();
        if (c.Inputs.CloudSettings is { Entry: { } entry } settings)
        {
            // Holds the clouds.yaml credentials: mode 0600, and its content is never logged.
            files.Add(CapiManifests.CloudConfigSecret(inputs, entry, settings.CaBundle).Render(secret: true));
        }

        return new FileSet(files);
    });

    /// <summary><c>bootstrap.ign</c> (mode 0600: it holds the pull secret), <c>master.ign</c>, <c>worker.ign</c>.</summary>
    public static Asset<FileSet> IgnitionFiles { get; } = new Derived<FileSet>("Ignition Config Files", [Bootstrap, PointerIgnition], c => new FileSet([
        GeneratedFile.Text("bootstrap.ign", c.Get(Bootstrap).Json, isSecret: true),
        GeneratedFile.Text("master.ign", c.Get(PointerIgnition).Master),
        GeneratedFile.Text("worker.ign", c.Get(PointerIgnition).Worker),
    ]));

    /// <summary><c>metadata.json</c>: what destroy reads.</summary>
    public static Asset<FileSet> Metadata { get; } = new Derived<FileSet>("Metadata", [InstallConfig, Identity], c =>
    {
        var config = c.Get(InstallConfig);
        var id = c.Get(Identity);
        var doc = new MapNode()
            .Add("clusterName", id.ClusterName)
            .Add("clusterID", id.ClusterId)
            .Add("infraID", id.InfraId)
            .Add("openstack", new MapNode()
                .Add("cloud", config.Platform.OpenStack?.Cloud ?? string.Empty)
                .Add("identifier", new MapNode().Add("openshiftClusterID", id.InfraId)))
            .Add("featureSet", config.FeatureSet ?? string.Empty)
            .Add("customFeatureSet", Node.Null);
        return new FileSet([GeneratedFile.Text("metadata.json", JsonText.Write(doc))]);
    });

    private static FileSet Render(IEnumerable<GeneratedFileSpec> specs) => new(specs.Select(s => s.Render()).ToList());

    private static string? BootstrapNodeIp(AssetInputs inputs)
    {
        var ip = inputs.Environment("OPENSHIFT_INSTALL_BOOTSTRAP_NODE_IP");
        return !string.IsNullOrEmpty(ip) && Networking.IpAddresses.TryParse(ip, out _) ? ip : null;
    }

    private sealed class Derived<T>(string name, IReadOnlyList<Asset> dependencies, Func<AssetContext, T> generate) : Asset<T>
        where T : class
    {
        public override string Name => name;

        public override IReadOnlyList<Asset> Dependencies => dependencies;

        protected internal override T Generate(AssetContext context) => generate(context);
    }

    private sealed class InstallConfigAsset : Asset<InstallConfiguration>
    {
        public override string Name => "Install Config";

        public override IReadOnlyList<Asset> Dependencies => [];

        protected internal override InstallConfiguration Generate(AssetContext context)
        {
            var file = InstallConfigFile.Load(context.Inputs.Directory, context.Inputs.Environment);
            if (!file.IsValid || file.Config is null)
            {
                throw new AssetException($"{file.Path} is not valid:\n" + string.Join("\n", file.Errors.Select(e => "  " + e.Message)));
            }
            if (file.Config.Platform.OpenStack is null)
            {
                throw new AssetException($"{file.Path}: platform.openstack is required: ShiftStack installs on OpenStack only");
            }
            return file.Config;
        }
    }

    private sealed class ClusterStateAsset : Asset<ClusterState>
    {
        public override string Name => "Cluster State";

        public override IReadOnlyList<Asset> Dependencies => [InstallConfig];

        protected internal override ClusterState Generate(AssetContext context)
        {
            var name = context.Get(InstallConfig).Metadata.Name ?? string.Empty;
            var dir = context.Inputs.Directory;
            if (ClusterState.TryLoad(dir) is { } existing)
            {
                if (existing.Identity.ClusterName != name)
                {
                    throw new AssetException(
                        $"{ClusterState.PathIn(dir)} belongs to cluster \"{existing.Identity.ClusterName}\" (infraID {existing.Identity.InfraId}), " +
                        $"but install-config.yaml names \"{name}\": use another --dir, or remove {ClusterState.DirectoryName} if that cluster does not exist");
                }
                return existing;
            }
            var ids = context.Inputs.Identities;
            var state = new ClusterState(
                new ClusterIdentity(name, ClusterState.InfraIdFor(name, ids.InfraIdSuffix()), ids.ClusterId()),
                ClusterState.NewRootCa(ids, context.Inputs.Time));
            state.Save(dir);
            return state;
        }
    }

    private sealed class CloudFactsAsset : Asset<CloudFacts>
    {
        public override string Name => "Cloud Facts";

        public override IReadOnlyList<Asset> Dependencies => [InstallConfig];

        protected internal override async Task<CloudFacts> GenerateAsync(AssetContext context, CancellationToken cancellationToken)
        {
            var config = context.Get(InstallConfig);
            NetworkFacts? network = null;
            if (context.Inputs.NetworkFacts is { } source)
            {
                try
                {
                    network = await source(config, cancellationToken).ConfigureAwait(false);
                }
                catch (OpenStackException e)
                {
                    throw new AssetException($"OpenStack look-up failed: {e.Message}", isCloudError: true, innerException: e);
                }
            }

            return CloudFacts.From(config, network, context.Inputs.CloudSettings);
        }
    }
}

/// <summary>The pointer Ignition configs (JSON).</summary>
/// <param name="Master">master.ign.</param>
/// <param name="Worker">worker.ign.</param>
public sealed record PointerIgnitions(string Master, string Worker);

/// <summary>The bootstrap Ignition config (JSON; holds the pull secret).</summary>
/// <param name="Json">bootstrap.ign.</param>
public sealed record BootstrapIgnition(string Json);
