using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack.Image;

namespace ShiftStack.Installer.Tests.Installation;

/// <summary>
/// <see cref="InstallationDirectory"/> on both shapes of <c>--dir</c>, with openshift-install's files written as its
/// source writes them (state file keyed by Go type, <c>config</c> + <c>file</c> of the install-config asset,
/// <c>metadata.json</c>), and the bootstrap Ignition shim.
/// </summary>
public sealed class InstallationDirectoryTests : IDisposable
{
    private const string Yaml = """
        apiVersion: v1
        baseDomain: example.com
        metadata:
          name: dual
        controlPlane:
          name: master
          replicas: 3
        compute:
        - name: worker
          replicas: 2
        networking:
          machineNetwork:
          - cidr: 192.168.25.0/24
          - cidr: fd2e:6f44:5dd8:c956::/64
          clusterNetwork:
          - cidr: 10.128.0.0/14
            hostPrefix: 23
          - cidr: fd01::/48
            hostPrefix: 64
          serviceNetwork:
          - 172.30.0.0/16
          - fd02::/112
          networkType: OVNKubernetes
        platform:
          openstack:
            cloud: mycloud
            apiVIPs:
            - 192.168.25.10
            - fd2e:6f44:5dd8:c956::383
            ingressVIPs:
            - 192.168.25.11
            - fd2e:6f44:5dd8:c956::2a
            controlPlanePort:
              network:
                name: net
              fixedIPs:
              - subnet:
                  name: v4
              - subnet:
                  name: v6
        pullSecret: '{"auths":{"r.example.com":{"auth":"dTpw"}}}'
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("shiftstack-dir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_the_config_from_openshift_install_state_when_install_config_yaml_is_gone()
    {
        WriteState(ConfigJson(), infraId: "dual-x7k2p");
        WriteMetadata("dual-x7k2p");
        var dir = InstallationDirectory.Open(_dir);
        var file = dir.LoadConfig();
        file.IsValid.ShouldBeTrue(string.Join("\n", file.Findings.Select(f => f.Message)));
        dir.ConfigSource.ShouldBe(ConfigSource.OpenShiftInstallState);
        file.Path.ShouldEndWith(".openshift_install_state.json");
        file.Config!.Platform.OpenStack!.ApiVips.ShouldBe(["192.168.25.10", "fd2e:6f44:5dd8:c956::383"]);
        dir.ReadInfraId().ShouldBe("dual-x7k2p");
        dir.ReadMetadataCloud().ShouldBe("mycloud");
    }

    [Fact]
    public void A_field_error_in_the_state_file_points_at_the_state_file_line()
    {
        var config = ConfigJson();
        config["platform"]!["openstack"]!["apiVIPs"]![0] = "10.9.9.9";
        WriteState(config, infraId: "dual-x7k2p");
        var text = File.ReadAllText(Path.Combine(_dir, InstallationDirectory.OpenShiftInstallStateFileName));
        var line = text[..text.IndexOf("\"apiVIPs\"", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var file = InstallationDirectory.Open(_dir).LoadConfig();
        file.IsValid.ShouldBeFalse();
        var error = file.Errors.First(e => e.Field == "platform.openstack.apiVIPs");
        error.Position.ShouldNotBeNull();
        error.Position.FileName.ShouldEndWith(".openshift_install_state.json");
        error.Position.Line.ShouldBe(line);
    }

    [Fact]
    public void Both_places_must_agree_and_the_error_says_which_to_fix()
    {
        WriteState(ConfigJson(), infraId: "dual-x7k2p");
        WriteMetadata("dual-x7k2p");
        File.WriteAllText(Path.Combine(_dir, "bootstrap.ign"), """{"ignition":{"version":"3.2.0"}}""");
        File.WriteAllText(Path.Combine(_dir, "install-config.yaml"), Yaml);
        var same = InstallationDirectory.Open(_dir);
        same.LoadConfig().IsValid.ShouldBeTrue(string.Join("\n", same.LoadConfig().Findings.Select(f => f.Message)));
        same.ConfigSource.ShouldBe(ConfigSource.Both);

        File.WriteAllText(Path.Combine(_dir, "install-config.yaml"), Yaml.Replace("- 192.168.25.10", "- 192.168.25.12", StringComparison.Ordinal));
        var differ = InstallationDirectory.Open(_dir).LoadConfig();
        differ.IsValid.ShouldBeFalse();
        var message = differ.Errors.ShouldHaveSingleItem().Message;
        message.ShouldContain("platform.openstack.apiVIPs[0]");
        message.ShouldContain("fix install-config.yaml");

        File.WriteAllText(Path.Combine(_dir, "install-config.yaml"), Yaml.Replace("dTpw", "eDp5", StringComparison.Ordinal));
        var secret = InstallationDirectory.Open(_dir).LoadConfig();
        var pull = secret.Errors.ShouldHaveSingleItem().Message;
        pull.ShouldContain("pullSecret");
        pull.ShouldNotContain("eDp5");
        pull.ShouldNotContain("dTpw");
    }

    [Fact]
    public void A_broken_metadata_json_is_an_error_for_every_command()
    {
        File.WriteAllText(Path.Combine(_dir, "install-config.yaml"), Yaml);
        File.WriteAllText(Path.Combine(_dir, "metadata.json"), "{\"infraID\": ");
        var e = Should.Throw<InstallationDirectoryException>(() => InstallationDirectory.Open(_dir).ReadInfraId());
        e.Message.ShouldContain("metadata.json");
        e.Message.ShouldContain("not a metadata.json");
    }

    [Fact]
    public void Openshift_install_identity_wins_and_disagreeing_files_are_an_error()
    {
        WriteState(ConfigJson(), infraId: "dual-x7k2p");
        InstallationDirectory.Open(_dir).ReadInfraId().ShouldBe("dual-x7k2p", "the state file's ClusterID without metadata.json");
        WriteMetadata("dual-aaaaa");
        Should.Throw<InstallationDirectoryException>(() => InstallationDirectory.Open(_dir).ReadIdentity()).Message.ShouldContain("dual-aaaaa");
    }

    [Fact]
    public void Ignition_origin_tells_openshift_install_configs_from_shiftstack_preview()
    {
        File.WriteAllText(Path.Combine(_dir, "install-config.yaml"), Yaml);
        InstallationDirectory.Open(_dir).Ignition.ShouldBe(IgnitionOrigin.None);
        Directory.CreateDirectory(Path.Combine(_dir, ".shiftstack"));
        File.WriteAllText(Path.Combine(_dir, ".shiftstack", "state.json"), "{}");
        File.WriteAllText(Path.Combine(_dir, "bootstrap.ign"), """{"ignition":{"version":"3.2.0"}}""");
        var preview = InstallationDirectory.Open(_dir);
        preview.Ignition.ShouldBe(IgnitionOrigin.ShiftStackPreview);
        Should.Throw<ProvisioningException>(() => IgnitionDelivery.Decide(preview, ProvisioningScope.Cluster, false, null, null, out _))
            .Message.ShouldContain("openshift-install create ignition-configs");
        IgnitionDelivery.Decide(preview, ProvisioningScope.Cluster, true, null, null, out var warning).ShouldNotBeNull();
        warning.ShouldNotBeNull().ShouldContain("cannot form an OpenShift cluster");
        IgnitionDelivery.Decide(preview, ProvisioningScope.NetworkOnly, false, null, null, out var none).ShouldBeNull();
        none.ShouldBeNull();

        WriteState(ConfigJson(), infraId: "dual-x7k2p");
        InstallationDirectory.Open(_dir).Ignition.ShouldBe(IgnitionOrigin.OpenShiftInstall);
    }

    [Fact]
    public void The_shim_fetches_the_glance_data_url_with_the_token_and_the_cloud_ca()
    {
        var ca = "-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n\n-----BEGIN CERTIFICATE-----\nMIIBAQ==\n-----END CERTIFICATE-----\n";
        var data = new ImageDataReference(new Uri("https://glance.example.com:9292/v2/images/1234/file"), "gAAAAtoken", DateTimeOffset.UnixEpoch);
        var bootstrap = Encoding.UTF8.GetBytes("""{"ignition":{"version":"3.2.0"}}""");
        var shim = JsonNode.Parse(IgnitionShim.Build(data, bootstrap, "dual-x7k2p-bootstrap", ca, new ShimProxy("http://proxy:3128", null, "a.example.com,b.example.com")))!;
        var ignition = shim["ignition"]!;
        ignition["version"]!.GetValue<string>().ShouldBe("3.2.0");
        var merge = ignition["config"]!["merge"]!.AsArray().ShouldHaveSingleItem()!;
        merge["source"]!.GetValue<string>().ShouldBe("https://glance.example.com:9292/v2/images/1234/file");
        merge["httpHeaders"]![0]!["name"]!.GetValue<string>().ShouldBe("X-Auth-Token");
        merge["httpHeaders"]![0]!["value"]!.GetValue<string>().ShouldBe("gAAAAtoken");
        merge["verification"]!["hash"]!.GetValue<string>().ShouldStartWith("sha512-");
        ignition["timeouts"]!["httpResponseHeaders"]!.GetValue<int>().ShouldBe(120);
        ignition["security"]!["tls"]!["certificateAuthorities"]!.AsArray().Count.ShouldBe(2);
        ignition["proxy"]!["noProxy"]!.AsArray().Count.ShouldBe(2);
        var files = shim["storage"]!["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()).ToList();
        files.ShouldBe(["/etc/hostname", IgnitionShim.CloudCaPath]);
        Should.Throw<ProvisioningException>(() => IgnitionShim.SplitCertificates("not a certificate"));
        data.ToString().ShouldNotContain("gAAAAtoken");
    }

    [Fact]
    public void User_data_over_novas_limit_is_refused_before_nova()
    {
        var e = Should.Throw<ProvisioningException>(() => IgnitionDelivery.CheckSize("x-bootstrap", "bootstrap.ign", new byte[49150]));
        e.Message.ShouldContain("65535");
        e.Message.ShouldContain("x-bootstrap");
        IgnitionDelivery.CheckSize("x-master-0", "master.ign", new byte[49149]);
    }

    private static JsonObject ConfigJson()
    {
        // types.InstallConfig as openshift-install marshals it into the state file (defaults applied).
        return new JsonObject
        {
            ["additionalTrustBundlePolicy"] = "Proxyonly",
            ["apiVersion"] = "v1",
            ["baseDomain"] = "example.com",
            ["compute"] = new JsonArray((JsonNode)new JsonObject { ["architecture"] = "amd64", ["hyperthreading"] = "Enabled", ["name"] = "worker", ["platform"] = new JsonObject(), ["replicas"] = 2 }),
            ["controlPlane"] = new JsonObject { ["architecture"] = "amd64", ["hyperthreading"] = "Enabled", ["name"] = "master", ["platform"] = new JsonObject(), ["replicas"] = 3 },
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null, ["name"] = "dual" },
            ["networking"] = new JsonObject
            {
                ["clusterNetwork"] = new JsonArray((JsonNode)new JsonObject { ["cidr"] = "10.128.0.0/14", ["hostPrefix"] = 23 }, new JsonObject { ["cidr"] = "fd01::/48", ["hostPrefix"] = 64 }),
                ["machineNetwork"] = new JsonArray((JsonNode)new JsonObject { ["cidr"] = "192.168.25.0/24" }, new JsonObject { ["cidr"] = "fd2e:6f44:5dd8:c956::/64" }),
                ["networkType"] = "OVNKubernetes",
                ["serviceNetwork"] = new JsonArray("172.30.0.0/16", "fd02::/112"),
            },
            ["platform"] = new JsonObject
            {
                ["openstack"] = new JsonObject
                {
                    ["cloud"] = "mycloud",
                    ["apiVIPs"] = new JsonArray("192.168.25.10", "fd2e:6f44:5dd8:c956::383"),
                    ["ingressVIPs"] = new JsonArray("192.168.25.11", "fd2e:6f44:5dd8:c956::2a"),
                    ["controlPlanePort"] = new JsonObject
                    {
                        ["network"] = new JsonObject { ["name"] = "net" },
                        ["fixedIPs"] = new JsonArray((JsonNode)new JsonObject { ["subnet"] = new JsonObject { ["name"] = "v4" } }, new JsonObject { ["subnet"] = new JsonObject { ["name"] = "v6" } }),
                    },
                },
            },
            ["publish"] = "External",
            ["pullSecret"] = """{"auths":{"r.example.com":{"auth":"dTpw"}}}""",
        };
    }

    private void WriteState(JsonObject config, string infraId)
    {
        var state = new JsonObject
        {
            ["*installconfig.ClusterID"] = new JsonObject { ["UUID"] = "3c344c41-89eb-4f1e-bbd5-d47e446fcec2", ["InfraID"] = infraId },
            ["*installconfig.InstallConfig"] = new JsonObject
            {
                ["config"] = config,
                ["file"] = new JsonObject { ["Filename"] = "install-config.yaml", ["Data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Yaml)) },
            },
        };
        File.WriteAllText(Path.Combine(_dir, InstallationDirectory.OpenShiftInstallStateFileName), state.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4 }));
    }

    private void WriteMetadata(string infraId) =>
        File.WriteAllText(Path.Combine(_dir, "metadata.json"),
            $$$"""{"clusterName":"dual","clusterID":"3c344c41-89eb-4f1e-bbd5-d47e446fcec2","infraID":"{{{infraId}}}","openstack":{"cloud":"mycloud","identifier":{"openshiftClusterID":"{{{infraId}}}"}},"featureSet":"","customFeatureSet":null}""");
}
