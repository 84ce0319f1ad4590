using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShiftStack.Installer.Installation;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Compute;
using ShiftStack.OpenStack.Identity;
using ShiftStack.OpenStack.Image;
using ShiftStack.OpenStack.Networking;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Provisioning;

/// <summary>
/// The way to a real cluster, on the local cloud: an installation directory shaped like openshift-install's after
/// <c>create ignition-configs</c> (hack/fixtures/openshift-install-dir: no install-config.yaml, the state file,
/// metadata.json, a bootstrap.ign of several hundred KB), then <c>shiftstack create cluster</c>. Each server's
/// <c>user_data</c> is read back from Nova as the admin (microversion 2.3) and checked by the real Ignition (Debian
/// package <c>ignition</c>): <c>ignition-validate</c> accepts every one, and the bootstrap's shim, run through
/// Ignition's fetch stage, fetches openshift-install's bootstrap.ign from the local Glance intact. Then
/// <c>destroy bootstrap</c> removes exactly the bootstrap machine and <c>destroy cluster</c> the rest.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OpenShiftInstallFlowTests(LocalCloud cloud, ITestOutputHelper output)
{
    private const string IgnitionBinary = "/usr/lib/dracut/modules.d/30ignition/ignition";

    [Fact]
    public async Task Create_cluster_boots_openshift_install_Ignition_through_Glance_then_destroy_bootstrap_and_cluster()
    {
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "oi", new ScenarioOptions());
        var infraId = WriteOpenShiftInstallDirectory(s.Directory);
        File.Exists(Path.Combine(s.Directory, "install-config.yaml")).ShouldBeFalse("openshift-install consumed it");
        var bootstrapIgn = await File.ReadAllBytesAsync(Path.Combine(s.Directory, "bootstrap.ign"));
        bootstrapIgn.Length.ShouldBeGreaterThan(300 * 1024);
        try
        {
            var created = await Cli("create", "cluster", "--dir", s.Directory);
            created.ExitCode.ShouldBe(0, created.ToString());
            created.Error.ShouldNotContain("preview");

            var tag = "openshiftClusterID=" + infraId;
            var images = await s.Images.Images.ListByTagAsync(tag);
            var image = images.ShouldHaveSingleItem();
            image.Name.ShouldBe(infraId + "-ignition");
            image.Status.ShouldBe(ImageStatus.Active);
            image.Size.ShouldBe(bootstrapIgn.Length);

            var servers = await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] });
            servers.Select(v => v.Name).Order(StringComparer.Ordinal).ShouldBe(
                [infraId + "-bootstrap", infraId + "-master-0", infraId + "-master-1", infraId + "-master-2"]);

            using var work = new TempDir();
            foreach (var server in servers)
            {
                var userData = await AdminUserDataAsync(server.Id);
                userData.Length.ShouldBeLessThan(IgnitionDelivery.MaxUserDataBase64Bytes);
                var file = Path.Combine(work.Path, server.Name + ".ign");
                await File.WriteAllBytesAsync(file, userData);
                var validate = await RunAsync("ignition-validate", [file], null);
                validate.ExitCode.ShouldBe(0, $"{server.Name}: {validate}");
                var config = JsonNode.Parse(userData)!;
                Files(config).ShouldContainKey("/etc/hostname");
                Encoding.UTF8.GetString(DataUrl(Files(config)["/etc/hostname"])).ShouldBe(server.Name + "\n");
                if (server.Name.EndsWith("-bootstrap", StringComparison.Ordinal))
                {
                    var merge = config["ignition"]!["config"]!["merge"]![0]!;
                    merge["source"]!.GetValue<string>().ShouldEndWith($"/v2/images/{image.Id}/file");
                    merge["httpHeaders"]![0]!["name"]!.GetValue<string>().ShouldBe("X-Auth-Token");
                }
                else
                {
                    // master.ign with the server's hostname, as the UPI playbooks make it.
                    config["ignition"]!["config"]!["merge"]![0]!["source"]!.GetValue<string>().ShouldEndWith(":22623/config/master");
                }
            }

            // The real Ignition, fetch stage, on the bootstrap's user data: it fetches bootstrap.ign from Glance
            // (X-Auth-Token, sha512 verified) and caches the merged config.
            var shim = Path.Combine(work.Path, infraId + "-bootstrap.ign");
            var cache = Path.Combine(work.Path, "ignition-cache.json");
            var fetch = await RunAsync(IgnitionBinary,
                ["-platform", "file", "-stage", "fetch", "-log-to-stdout", "-config-cache", cache, "-state-file", Path.Combine(work.Path, "state"), "-neednet", Path.Combine(work.Path, "neednet")],
                new Dictionary<string, string> { ["IGNITION_CONFIG_FILE"] = shim });
            fetch.ExitCode.ShouldBe(0, fetch.ToString());
            var fetched = JsonNode.Parse(await File.ReadAllBytesAsync(cache))!;
            var original = JsonNode.Parse(bootstrapIgn)!;
            var fetchedFiles = Files(fetched);
            foreach (var (path, source) in Files(original).Where(f => f.Key != "/etc/hostname"))
            {
                fetchedFiles.ShouldContainKey(path);
                DataUrl(fetchedFiles[path]).ShouldBe(DataUrl(source), path);
            }

            Units(fetched).ShouldBe(Units(original));
            Encoding.UTF8.GetString(DataUrl(fetchedFiles["/etc/hostname"])).ShouldBe(infraId + "-bootstrap\n", "the shim's hostname is the bootstrap server's name");

            // The shim's token reads that image's data and nothing else (an application credential restricted by an
            // access rule, issue #20): listing images, the image's record, another image, the networks are refused.
            var shimConfig = JsonNode.Parse(await File.ReadAllBytesAsync(shim))!;
            var shimToken = shimConfig["ignition"]!["config"]!["merge"]![0]!["httpHeaders"]![0]!["value"]!.GetValue<string>();
            var credentials = new ApplicationCredentials(s.Images.Identity);
            var credential = (await credentials.ListAsync(infraId + "-bootstrap-ignition")).ShouldHaveSingleItem();
            credential.AccessRules.ShouldBe([new AccessRule("image", "GET", $"/v2/images/{image.Id}/file")]);
            credential.ExpiresAt.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(20));
            (created.Out + created.Error).ShouldContain("nothing else (application credential " + infraId + "-bootstrap-ignition)");
            var glance = (await s.Images.Identity.GetEndpointAsync("image")).AbsoluteUri.TrimEnd('/');
            var neutron = (await s.Images.Identity.GetEndpointAsync("network")).AbsoluteUri.TrimEnd('/');
            var fakeImg = (await s.Images.Images.ListByNameAsync("fake-img")).ShouldHaveSingleItem().Id;
            using (var http = new HttpClient())
            {
                foreach (var url in new[] { $"{glance}/v2/images", $"{glance}/v2/images/{image.Id}", $"{glance}/v2/images/{fakeImg}/file", $"{neutron}/v2.0/networks" })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Add("X-Auth-Token", shimToken);
                    using var refused = await http.SendAsync(request);
                    ((int)refused.StatusCode).ShouldBeOneOf([401, 403], url);
                }
            }

            // A second run changes nothing and uploads nothing.
            var again = await Cli("create", "cluster", "--dir", s.Directory, "--plan", "-o", "json");
            again.ExitCode.ShouldBe(0, again.ToString());
            using (var plan = JsonDocument.Parse(again.Out))
            {
                plan.RootElement.GetProperty("complete").GetBoolean().ShouldBeTrue(again.Out);
            }

            // destroy bootstrap: the bootstrap server, its port, its floating IP and the image; nothing else. Twice.
            var portsBefore = await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] });
            var groupsBefore = await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] });
            var destroyBootstrap = await Cli("destroy", "bootstrap", "--dir", s.Directory);
            destroyBootstrap.ExitCode.ShouldBe(0, destroyBootstrap.ToString());
            (await s.Images.Images.ListByTagAsync(tag)).ShouldBeEmpty();
            (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).Select(v => v.Name).Order(StringComparer.Ordinal)
                .ShouldBe([infraId + "-master-0", infraId + "-master-1", infraId + "-master-2"]);
            var portsAfter = await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] });
            portsAfter.Select(p => p.Name).Order(StringComparer.Ordinal)
                .ShouldBe(portsBefore.Select(p => p.Name).Where(n => !n.StartsWith(infraId + "-bootstrap-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            (await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] })).Count.ShouldBe(groupsBefore.Count);
            (await s.Network.FloatingIps.ListAsync(new FloatingIpListOptions { Tags = [tag] })).ShouldBeEmpty();
            (await credentials.ListAsync(infraId + "-bootstrap-ignition")).ShouldBeEmpty("the shim's credential is gone, and its token revoked");
            (await Cli("destroy", "bootstrap", "--dir", s.Directory)).ExitCode.ShouldBe(0, "twice is harmless");

            // create cluster afterwards does not bring the bootstrap back.
            var converge = await Cli("create", "cluster", "--dir", s.Directory, "--plan", "-o", "json");
            converge.ExitCode.ShouldBe(0, converge.ToString());
            using (var plan = JsonDocument.Parse(converge.Out))
            {
                plan.RootElement.GetProperty("complete").GetBoolean().ShouldBeTrue(converge.Out);
            }
        }
        finally
        {
            var destroyed = await Cli("destroy", "cluster", "--dir", s.Directory);
            destroyed.ExitCode.ShouldBe(0, destroyed.ToString());
        }

        var left = "openshiftClusterID=" + infraId;
        (await s.Images.Images.ListByTagAsync(left)).ShouldBeEmpty();
        (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [left] })).ShouldBeEmpty();
        (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [left] })).ShouldBeEmpty();
        (await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [left] })).ShouldBeEmpty();
    }

    [Fact]
    public async Task Preview_Ignition_never_boots_a_server_without_the_option()
    {
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "pv", new ScenarioOptions());
        foreach (var ign in new[] { "bootstrap.ign", "master.ign" })
        {
            File.Delete(Path.Combine(s.Directory, ign));
        }

        var none = await Cli("create", "cluster", "--dir", s.Directory);
        none.ExitCode.ShouldBe(2, none.ToString());
        none.Error.ShouldContain("openshift-install create ignition-configs");

        (await Cli("create", "ignition-configs", "--dir", s.Directory)).ExitCode.ShouldBe(0);
        var refused = await Cli("create", "cluster", "--dir", s.Directory);
        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Error.ShouldContain("preview");
        refused.Error.ShouldContain("openshift-install create ignition-configs");
        refused.Error.ShouldContain("--allow-preview-ignition");
        var infraId = InstallationDirectory.Open(s.Directory).ReadInfraId()!;
        var tag = "openshiftClusterID=" + infraId;
        (await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Tags = [tag] })).ShouldBeEmpty("it stopped before anything was made");
        (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).ShouldBeEmpty();

        try
        {
            var networkOnly = await Cli("create", "cluster", "--dir", s.Directory, "--network-only");
            networkOnly.ExitCode.ShouldBe(0, networkOnly.ToString());
            networkOnly.Error.ShouldNotContain("preview");
        }
        finally
        {
            (await Cli("destroy", "cluster", "--dir", s.Directory)).ExitCode.ShouldBe(0);
        }
    }

    [Fact]
    public async Task Create_workers_boots_worker_ign_on_the_worker_pool_and_destroy_cluster_removes_them()
    {
        // The UPI compute-nodes step: compute[0].replicas (2 in the scenario) worker servers with worker.ign.
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "wk", new ScenarioOptions());
        var infraId = WriteOpenShiftInstallDirectory(s.Directory);
        var tag = "openshiftClusterID=" + infraId;
        var workers = new[] { infraId + "-worker-0", infraId + "-worker-1" };
        try
        {
            var planned = await Cli("create", "cluster", "--dir", s.Directory, "--create-workers", "--plan");
            planned.ExitCode.ShouldBe(0, planned.ToString());
            planned.Out.ShouldContain("create server " + workers[1]);

            var created = await Cli("create", "cluster", "--dir", s.Directory, "--create-workers");
            created.ExitCode.ShouldBe(0, created.ToString());
            var servers = await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] });
            servers.Select(v => v.Name).Order(StringComparer.Ordinal).ShouldBe(
                [infraId + "-bootstrap", infraId + "-master-0", infraId + "-master-1", infraId + "-master-2", .. workers]);

            var workerGroup = await s.Network.SecurityGroups.ListAsync(new SecurityGroupListOptions { Name = infraId + "-worker" });
            var groups = (await s.ComputeClient.ServerGroups.ListAsync()).Where(g => g.Name.StartsWith(infraId, StringComparison.Ordinal)).ToList();
            groups.Select(g => g.Name).Order(StringComparer.Ordinal).ShouldBe([infraId + "-master", infraId + "-worker"]);
            using var work = new TempDir();
            foreach (var server in servers.Where(v => workers.Contains(v.Name)))
            {
                // worker.ign with the server's hostname; ignition-validate accepts it.
                var userData = await AdminUserDataAsync(server.Id);
                var file = Path.Combine(work.Path, server.Name + ".ign");
                await File.WriteAllBytesAsync(file, userData);
                var validate = await RunAsync("ignition-validate", [file], null);
                validate.ExitCode.ShouldBe(0, $"{server.Name}: {validate}");
                var config = JsonNode.Parse(userData)!;
                config["ignition"]!["config"]!["merge"]![0]!["source"]!.GetValue<string>().ShouldEndWith(":22623/config/worker");
                Encoding.UTF8.GetString(DataUrl(Files(config)["/etc/hostname"])).ShouldBe(server.Name + "\n");
                server.Metadata["Name"].ShouldBe(infraId + "-worker");

                // Its port: the worker group, one address of each family, every VIP as an allowed address pair.
                var port = (await s.Network.Ports.ListAsync(new PortListOptions { Name = server.Name + "-0" })).ShouldHaveSingleItem();
                port.SecurityGroups.ShouldBe([workerGroup.ShouldHaveSingleItem().Id]);
                port.FixedIpsOf(ShiftStack.Networking.IpFamily.IPv4).Count().ShouldBe(1);
                port.FixedIpsOf(ShiftStack.Networking.IpFamily.IPv6).Count().ShouldBe(1);
                port.AllowedAddressPairs.Count.ShouldBe(4);
                port.Tags.ShouldContain(tag);
            }

            // destroy bootstrap leaves the workers alone; a re-run with --create-workers has nothing to do.
            (await Cli("destroy", "bootstrap", "--dir", s.Directory)).ExitCode.ShouldBe(0);
            (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).Count.ShouldBe(5);
            var again = await Cli("create", "cluster", "--dir", s.Directory, "--create-workers", "--plan", "-o", "json");
            again.ExitCode.ShouldBe(0, again.ToString());
            using var plan = JsonDocument.Parse(again.Out);
            plan.RootElement.GetProperty("complete").GetBoolean().ShouldBeTrue(again.Out);
        }
        finally
        {
            var destroyed = await Cli("destroy", "cluster", "--dir", s.Directory);
            destroyed.ExitCode.ShouldBe(0, destroyed.ToString());
        }

        (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).ShouldBeEmpty();
        (await s.Network.Ports.ListAsync(new PortListOptions { Tags = [tag] })).ShouldBeEmpty();
        (await s.ComputeClient.ServerGroups.ListAsync()).ShouldNotContain(g => g.Name.StartsWith(infraId, StringComparison.Ordinal), "both server groups are gone");
    }

    [Fact]
    public async Task Glance_refusing_the_upload_is_a_clear_error_and_the_next_run_finishes()
    {
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "gr", new ScenarioOptions());
        var infraId = WriteOpenShiftInstallDirectory(s.Directory);
        var installation = InstallationDirectory.Open(s.Directory);
        var config = installation.LoadConfig();
        config.IsValid.ShouldBeTrue(string.Join("\n", config.Findings.Select(f => f.Message)));
        var delivery = IgnitionDelivery.Decide(installation, ProvisioningScope.Cluster, allowPreview: false, null, null, out var warning)!;
        warning.ShouldBeNull();

        var refuse = new RefuseImageUpload();
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = refuse });
        using var nova = new ComputeClient(network.Identity);
        using var glance = new ImageClient(network.Identity);
        var compute = new ComputeClientProvisioning(nova, glance);
        var tag = "openshiftClusterID=" + infraId;
        try
        {
            var state = ProvisioningStateStore.Open(s.Directory, infraId, LocalCloud.UserCloud);
            var options = new ProvisioningOptions { AssetDirectory = s.Directory, Ignition = delivery, PollInterval = TimeSpan.FromMilliseconds(500) };
            var failed = await ClusterProvisioner.ProvisionAsync(config.Config!, infraId, network, compute, state, options);
            failed.Succeeded.ShouldBeFalse();
            var failure = failed.Execution.Failures.ShouldHaveSingleItem();
            failure.Message.ShouldContain("Glance refused the upload of bootstrap.ign");
            failure.Message.ShouldContain("run 'shiftstack create cluster' again");
            (await s.Images.Images.ListByTagAsync(tag)).ShouldBeEmpty("the empty image record was removed");
            (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).Select(v => v.Name)
                .ShouldNotContain(infraId + "-bootstrap", "no bootstrap without its Ignition");

            refuse.Enabled = false;
            var finished = await ClusterProvisioner.ProvisionAsync(config.Config!, infraId, network, compute, ProvisioningStateStore.Open(s.Directory, infraId, LocalCloud.UserCloud), options);
            finished.Succeeded.ShouldBeTrue(string.Join("\n", finished.Execution.Failures.Select(f => f.Message)));
            (await s.Images.Images.ListByTagAsync(tag)).ShouldHaveSingleItem().Status.ShouldBe(ImageStatus.Active);
            (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).Count.ShouldBe(4);
        }
        finally
        {
            (await Cli("destroy", "cluster", "--dir", s.Directory)).ExitCode.ShouldBe(0);
        }

        (await s.Images.Images.ListByTagAsync(tag)).ShouldBeEmpty();
    }

    /// <summary>
    /// Glance killed (a crash, then started again) while the image create, and later in the same run while the upload
    /// of <c>bootstrap.ign</c>, is in flight (issue #21): the run completes, with exactly one image of the cluster holding
    /// exactly <c>bootstrap.ign</c>, and the bootstrap booted from it. A lost answer is resolved by looking at the image
    /// (found holding the data: done; otherwise deleted and sent again).
    /// </summary>
    [Fact]
    public async Task Glance_killed_while_the_Ignition_image_is_created_and_uploaded_leaves_one_image_holding_bootstrap_ign()
    {
        await using var s = await ProvisioningScenario.CreateAsync(cloud, "gk", new ScenarioOptions { FloatingIps = false });
        var infraId = WriteOpenShiftInstallDirectory(s.Directory);
        var installation = InstallationDirectory.Open(s.Directory);
        var config = installation.LoadConfig();
        var delivery = IgnitionDelivery.Decide(installation, ProvisioningScope.Cluster, allowPreview: false, null, null, out _)!;
        using var kills = new Reliability.KillDuringRequests("glance-api", await s.Network.Identity.GetEndpointAsync("image"),
            (HttpMethod.Post, "/v2/images"), (HttpMethod.Put, "/file"));
        using var network = cloud.CreateNetworkingClient(LocalCloud.UserCloud, new OpenStackClientOptions { Handler = kills });
        using var nova = new ComputeClient(network.Identity);
        using var glance = new ImageClient(network.Identity);
        var tag = "openshiftClusterID=" + infraId;
        var messages = new Reliability.MessageLog();
        try
        {
            // The first run meets the image-create kill; a lost answer there is resolved and the upload follows. Where
            // the upload kill finds the image already uploaded (answered before the kill), nothing is lost.
            var result = await ClusterProvisioner.ProvisionAsync(config.Config!, infraId, network, new ComputeClientProvisioning(nova, glance),
                ProvisioningStateStore.Open(s.Directory, infraId, LocalCloud.UserCloud),
                new ProvisioningOptions { AssetDirectory = s.Directory, Ignition = delivery, PollInterval = TimeSpan.FromMilliseconds(500), Progress = messages });
            await kills.CompleteAsync();
            output.WriteLine(string.Join("\n", messages.Lines));
            output.WriteLine(kills.Output);
            output.WriteLine($"glance-api killed twice: {kills.Outcomes}; {result.Execution.LostAnswers} lost answer(s) resolved");

            result.Execution.Failures.Select(f => f.Step.Id + ": " + f.Message).ShouldBeEmpty();
            result.Execution.LostAnswers.ShouldBeGreaterThanOrEqualTo(kills.Lost.Count(l => l.StartsWith("POST", StringComparison.Ordinal)), kills.Outcomes);
            var image = (await s.Images.Images.ListByTagAsync(tag)).ShouldHaveSingleItem("one image, never a second");
            image.Status.ShouldBe(ImageStatus.Active);
            image.Size.ShouldBe(new FileInfo(Path.Combine(s.Directory, "bootstrap.ign")).Length);
            (await s.ComputeClient.Servers.ListAsync(new ServerListOptions { Tags = [tag] })).Count.ShouldBe(4);
        }
        finally
        {
            (await Cli("destroy", "cluster", "--dir", s.Directory)).ExitCode.ShouldBe(0);
        }

        (await s.Images.Images.ListByTagAsync(tag)).ShouldBeEmpty();
    }

    /// <summary>Replaces the scenario's install-config and stand-in configs by the openshift-install-shaped directory.</summary>
    private string WriteOpenShiftInstallDirectory(string directory)
    {
        foreach (var ign in new[] { "bootstrap.ign", "master.ign" })
        {
            File.Delete(Path.Combine(directory, ign));
        }

        var run = RunAsync(Path.Combine(cloud.RepoRoot, "hack", "fixtures", "openshift-install-dir"),
            ["--install-config", Path.Combine(directory, "install-config.yaml"), "--out", directory], null).GetAwaiter().GetResult();
        run.ExitCode.ShouldBe(0, run.ToString());
        using var metadata = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "metadata.json")));
        return metadata.RootElement.GetProperty("infraID").GetString()!;
    }

    private async Task<byte[]> AdminUserDataAsync(string serverId)
    {
        var run = await RunAsync("/usr/bin/openstack",
            ["--os-cloud", LocalCloud.AdminCloud, "--os-compute-api-version", "2.3", "server", "show", serverId, "-f", "json", "-c", "OS-EXT-SRV-ATTR:user_data"],
            new Dictionary<string, string> { ["OS_CLIENT_CONFIG_FILE"] = cloud.CloudsYamlPath });
        run.ExitCode.ShouldBe(0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        return Convert.FromBase64String(doc.RootElement.GetProperty("OS-EXT-SRV-ATTR:user_data").GetString()!);
    }

    private static Dictionary<string, string> Files(JsonNode config)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in config["storage"]?["files"]?.AsArray() ?? [])
        {
            result[file!["path"]!.GetValue<string>()] = file["contents"]!["source"]!.GetValue<string>();
        }

        return result;
    }

    private static List<string> Units(JsonNode config) =>
        (config["systemd"]?["units"]?.AsArray() ?? []).Select(u => u!.ToJsonString()).Order(StringComparer.Ordinal).ToList();

    private static byte[] DataUrl(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        return url[..comma].EndsWith(";base64", StringComparison.Ordinal)
            ? Convert.FromBase64String(url[(comma + 1)..])
            : Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url[(comma + 1)..]));
    }

    private Task<CliRun> Cli(params string[] args) => CliProcess.RunAsync(cloud, null, args);

    private static async Task<CliRun> RunAsync(string file, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Glance refusing image data (413, as with a full image quota) while <see cref="Enabled"/>.</summary>
    private sealed class RefuseImageUpload : DelegatingHandler
    {
        public RefuseImageUpload()
            : base(new SocketsHttpHandler())
        {
        }

        public bool Enabled { get; set; } = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Enabled && request.Method == HttpMethod.Put && request.RequestUri!.AbsolutePath.EndsWith("/file", StringComparison.Ordinal))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge)
                {
                    RequestMessage = request,
                    Content = new StringContent("""{"code": 413, "title": "Request Entity Too Large", "message": "Denying attempt to upload image because it exceeds the quota"}""", Encoding.UTF8, "application/json"),
                });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("shiftstack-ign-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
