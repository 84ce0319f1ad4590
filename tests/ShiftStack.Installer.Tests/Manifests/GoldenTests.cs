namespace ShiftStack.Installer.Tests.Manifests;

/// <summary>
/// Every file of <c>create manifests</c> + <c>create ignition-configs</c> for the three examples and the 12 HEAD
/// manifest-test install-configs, compared byte for byte with <c>Golden/&lt;case&gt;/</c>. Regenerate with
/// <c>UPDATE_GOLDEN=1 dotnet test tests/ShiftStack.Installer.Tests</c> and review the diff.
/// </summary>
public class GoldenTests
{
    private static bool Update => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    [Theory]
    [MemberData(nameof(TestSupport.GoldenCaseData), MemberType = typeof(TestSupport))]
    public async Task Generated_files_match_the_golden_files(string caseName)
    {
        // Given the case's install-config, a seeded state and the in-process cloud
        // When manifests and Ignition configs are generated
        var files = await TestSupport.GenerateCaseAsync(caseName);

        // Then every file equals its golden copy and no golden file is missing
        var dir = Path.Combine(TestSupport.GoldenDir, caseName);
        if (Update)
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
            foreach (var (path, file) in files)
            {
                var target = Path.Combine(dir, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllBytesAsync(target, file.Content);
            }
            return;
        }
        Directory.Exists(dir).ShouldBeTrue($"no golden files for {caseName}: run with UPDATE_GOLDEN=1");
        var golden = Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToList();
        files.Keys.Order(StringComparer.Ordinal).ShouldBe(golden);
        foreach (var (path, file) in files)
        {
            file.ContentText.ShouldBe(await File.ReadAllTextAsync(Path.Combine(dir, path)), $"{caseName}/{path} differs from its golden file");
        }
    }
}
