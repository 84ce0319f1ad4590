using System.Net;
using System.Net.Sockets;
using System.Text;
using ShiftStack.IntegrationTests.Provisioning;
using Xunit.Abstractions;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>
/// Secrets: every command runs as a user would (the built CLI as its own process) with a known password (the local
/// cloud's, from a <c>secure.yaml</c> next to a password-less <c>clouds.yaml</c>), the Keystone tokens it gets
/// (recorded by a pass-through proxy in front of Keystone) and a known pull secret; then stdout, stderr, the log file
/// and every file written under <c>--dir</c> are scanned for them — as text, base64 (at each of the three byte
/// alignments, so a secret inside a larger base64 blob is found too) and percent-encoded.
/// The allowed places are where openshift-install puts the pull secret too (<see cref="PullSecretHomes"/>), mode 0600.
/// The user's own install-config.yaml, which the commands only read (asserted), is not scanned.
/// </summary>
[Collection(LocalCloudCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SecretsTests(LocalCloud cloud, ITestOutputHelper output)
{
    /// <summary>
    /// The files that must carry the pull secret, as openshift-install's do: <c>bootstrap.ign</c> (the bootstrap node
    /// pulls the release image with it, <c>/root/.docker/config.json</c>) and the cluster's <c>pull-secret</c> Secret
    /// manifest that <c>create manifests</c> writes (docs/manifests.md; the reference consumes manifests/ when it
    /// writes the Ignition configs, ShiftStack keeps it). Both mode 0600.
    /// </summary>
    private static readonly string[] PullSecretHomes = ["bootstrap.ign", "manifests/openshift-config-secret-pull-secret.yaml"];

    /// <summary>
    /// The one file that must carry the cloud password, as openshift-install's does: the CAPO credentials Secret
    /// (<c>&lt;infraID&gt;-cloud-config</c>, clouds.yaml base64-encoded) that every <c>identityRef</c> names. Mode 0600.
    /// </summary>
    private const string CloudCredentialsHome = "cluster-api/02_openstack-cloud-config.yaml";

    /// <summary>The distinctive part of <see cref="ProvisioningScenario.PullSecret"/>: its auth value, and that decoded.</summary>
    private const string PullAuth = "c2hpZnRzdGFjay1pdDpzZWNyZXQtcHVsbA==";

    [Fact]
    public async Task No_command_writes_the_password_a_token_or_the_pull_secret_anywhere_but_where_the_reference_does()
    {
        // Given a user's environment, credentials split into clouds.yaml and secure.yaml, Keystone behind a recorder
        await using var scenario = await ProvisioningScenario.CreateAsync(cloud, "secrets", new ScenarioOptions());
        var dir = scenario.Directory;
        foreach (var placeholder in new[] { "bootstrap.ign", "master.ign" })
        {
            File.Delete(Path.Combine(dir, placeholder)); // the scenario's stand-ins: create ignition-configs writes the real ones
        }

        var installConfig = await File.ReadAllTextAsync(Path.Combine(dir, "install-config.yaml"));
        var auth = cloud.Cloud().Auth;
        var password = auth.Password.ShouldNotBeNull();
        using var keystone = new RecordingKeystoneProxy(new Uri(auth.AuthUrl!));
        var config = Directory.CreateTempSubdirectory("ss-it-secrets-clouds-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(config, "clouds.yaml"), $"""
                clouds:
                  {LocalCloud.UserCloud}:
                    auth:
                      auth_url: {keystone.Url}v3
                      username: {auth.Username}
                      project_name: {auth.ProjectName}
                      user_domain_name: {auth.UserDomainName}
                      project_domain_name: {auth.ProjectDomainName}
                    region_name: RegionOne
                    identity_api_version: 3
                    interface: public
                """);
            await File.WriteAllTextAsync(Path.Combine(config, "secure.yaml"), $"""
                clouds:
                  {LocalCloud.UserCloud}:
                    auth:
                      password: {password}
                """);

            // When every command runs
            var runs = new List<CommandRun>();
            async Task<CommandRun> Run(params string[] args)
            {
                var run = await ShiftStackAsync(cloud.RepoRoot, config, args);
                runs.Add(run);
                output.WriteLine($"shiftstack {string.Join(' ', args)} -> {run.ExitCode}");
                return run;
            }

            (await Run("validate", "--dir", dir, "--offline")).ExitCode.ShouldBe(0);
            (await Run("validate", "--dir", dir)).ExitCode.ShouldBe(0);
            (await Run("validate", "--dir", dir, "-o", "json")).ExitCode.ShouldBe(0);
            (await Run("create", "manifests", "--dir", dir)).ExitCode.ShouldBe(0);
            (await Run("create", "ignition-configs", "--dir", dir)).ExitCode.ShouldBe(0);
            (await Run("create", "cluster", "--dir", dir, "--plan")).ExitCode.ShouldBe(0);
            (await Run("create", "cluster", "--dir", dir, "--network-only")).ExitCode.ShouldBe(0);
            (await Run("addresses", "--dir", dir)).ExitCode.ShouldBe(0);
            (await Run("addresses", "--dir", dir, "-o", "json")).ExitCode.ShouldBe(0);
            await Run("convert", "--dir", dir, "--to", "single-stack", "--plan"); // nothing to undo: its exit code is not the point
            (await Run("destroy", "cluster", "--dir", dir)).ExitCode.ShouldBe(0);

            // Then no secret is in any output, the log or a written file, but the pull secret in bootstrap.ign
            keystone.Tokens.ShouldNotBeEmpty("the commands authenticated through the recorder");
            var secrets = new List<(string Name, string Value)> { ("password", password), ("pull secret auth", PullAuth), ("pull secret credentials", "shiftstack-it:secret-pull"), ("pull secret", ProvisioningScenario.PullSecret) };
            secrets.AddRange(keystone.Tokens.Select((t, i) => ($"token {i + 1}", t)));
            var forms = secrets.SelectMany(s => Forms(s.Value).Select(f => (s.Name, f.Form, f.Text))).ToList();

            var leaks = new List<string>();
            foreach (var run in runs)
            {
                foreach (var (stream, text) in new[] { ("stdout", run.Out), ("stderr", run.Error) })
                {
                    leaks.AddRange(forms.Where(f => text.Contains(f.Text, StringComparison.Ordinal)).Select(f => $"{f.Name} ({f.Form}) in {stream} of shiftstack {run.Command}"));
                }
            }

            var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "install-config.yaml").ToList();
            files.ShouldContain(f => f.EndsWith(Path.Combine(".shiftstack", "shiftstack.log"), StringComparison.Ordinal), "the log file is scanned too");
            (await File.ReadAllTextAsync(Path.Combine(dir, "install-config.yaml"))).ShouldBe(installConfig, "the user's install-config is only read");
            var pullSecretFiles = new List<string>();
            var credentialFiles = new List<string>();
            foreach (var file in files)
            {
                var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
                var found = forms.Where(f => text.Contains(f.Text, StringComparison.Ordinal)).ToList();
                var relative = Path.GetRelativePath(dir, file).Replace('\\', '/');
                if (PullSecretHomes.Contains(relative))
                {
                    // Allowed, where the reference puts it (see PullSecretHomes): the user's only, mode 0600, and
                    // nothing secret but the pull secret.
                    pullSecretFiles.Add(relative);
                    found.ShouldContain(f => f.Name.StartsWith("pull secret", StringComparison.Ordinal), relative + " carries the pull secret");
                    if (!OperatingSystem.IsWindows())
                    {
                        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, relative);
                    }

                    found = found.Where(f => !f.Name.StartsWith("pull secret", StringComparison.Ordinal)).ToList();
                }

                if (relative == CloudCredentialsHome)
                {
                    // Allowed, where the reference puts it: the password (inside base64 clouds.yaml), mode 0600,
                    // and no other secret.
                    credentialFiles.Add(relative);
                    found.ShouldContain(f => f.Name == "password", relative + " carries the password");
                    if (!OperatingSystem.IsWindows())
                    {
                        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, relative);
                    }

                    found = found.Where(f => f.Name != "password").ToList();
                }

                leaks.AddRange(found.Select(f => $"{f.Name} ({f.Form}) in {relative}"));
            }

            pullSecretFiles.Order(StringComparer.Ordinal).ShouldBe(PullSecretHomes.Order(StringComparer.Ordinal), "both were written");
            credentialFiles.ShouldBe([CloudCredentialsHome], "the CAPO credentials Secret was written");
            var summary = $"secrets: {runs.Count} commands, {files.Count} files, {secrets.Count} secrets ({keystone.Tokens.Count} tokens) x {forms.Count / secrets.Count} forms, {leaks.Count} leaks";
            output.WriteLine(summary);
            Console.WriteLine(summary);
            leaks.Distinct().ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    /// <summary>A secret as text, percent-encoded and base64 at each byte alignment (the stable middle of each).</summary>
    internal static IEnumerable<(string Form, string Text)> Forms(string secret)
    {
        yield return ("text", secret);
        var escaped = Uri.EscapeDataString(secret);
        if (escaped != secret)
        {
            yield return ("percent-encoded", escaped);
        }

        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var shift = 0; shift < 3; shift++)
        {
            var encoded = Convert.ToBase64String([.. new byte[shift], .. bytes]);
            var start = shift == 0 ? 0 : 4;   // the first group mixes in the padding bytes
            var end = encoded.Length - 4;      // the last group may be padded
            if (end - start >= 12)
            {
                yield return ($"base64/{shift}", encoded[start..end]);
            }
        }
    }

    private sealed record CommandRun(string Command, int ExitCode, string Out, string Error);

    /// <summary>The built CLI as its own process, finding clouds.yaml and secure.yaml only in <paramref name="configDir"/>.</summary>
    private static async Task<CommandRun> ShiftStackAsync(string repoRoot, string configDir, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = configDir, ["XDG_CONFIG_HOME"] = configDir };
        var run = await CliProcess.RunAsync(repoRoot, environment, configDir, args);
        return new CommandRun(string.Join(' ', args), run.ExitCode, run.Out, run.Error);
    }

    /// <summary>
    /// A pass-through HTTP proxy in front of Keystone (the clouds.yaml's auth_url points here) that records every token
    /// Keystone issues (<c>X-Subject-Token</c>). The catalog still sends the clients straight to Neutron.
    /// </summary>
    private sealed class RecordingKeystoneProxy : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly HttpClient _upstream = new();
        private readonly Uri _target;
        private readonly Task _loop;
        private readonly List<string> _tokens = [];

        public RecordingKeystoneProxy(Uri authUrl)
        {
            _target = new Uri(authUrl.GetLeftPart(UriPartial.Authority));
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
                probe.Stop();
            }

            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public Uri Url { get; }

        public IReadOnlyList<string> Tokens
        {
            get
            {
                lock (_tokens)
                {
                    return [.. _tokens.Distinct()];
                }
            }
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => ForwardAsync(context));
            }
        }

        private async Task ForwardAsync(HttpListenerContext context)
        {
            try
            {
                using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.RawUrl));
                if (context.Request.HasEntityBody)
                {
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    request.Content = new ByteArrayContent(body.ToArray());
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/json");
                }

                foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
                {
                    if (name is "X-Auth-Token" or "X-Subject-Token" or "Accept" or "User-Agent" or "X-Client-Request-Id")
                    {
                        request.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
                    }
                }

                using var response = await _upstream.SendAsync(request);
                var content = await response.Content.ReadAsByteArrayAsync();
                if (response.Headers.TryGetValues("X-Subject-Token", out var tokens))
                {
                    lock (_tokens)
                    {
                        _tokens.AddRange(tokens);
                    }

                    context.Response.Headers["X-Subject-Token"] = tokens.First();
                }

                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
                await context.Response.OutputStream.WriteAsync(content);
            }
            catch (Exception ex) when (ex is HttpRequestException or HttpListenerException or IOException)
            {
                context.Response.StatusCode = 502;
            }
            finally
            {
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
            _upstream.Dispose();
        }
    }
}
