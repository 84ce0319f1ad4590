using System.Reflection;
using CsCheck;
using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Tests;

public class ConventionTests
{
    [Fact]
    public void Every_public_model_type_is_a_sealed_record()
    {
        var modelTypes = typeof(InstallConfiguration).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "ShiftStack.InstallConfig" && t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)
            .ToList();

        modelTypes.Count.ShouldBeGreaterThan(20);
        modelTypes.ShouldAllBe(t => t.IsSealed);
        typeof(InstallConfiguration).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "ShiftStack.InstallConfig" && t.IsClass && !t.IsAbstract && !t.IsSealed && !(t.IsAbstract && t.IsSealed))
            .ShouldBeEmpty();
    }

    [Fact]
    public void Loader_never_throws_on_arbitrary_text()
    {
        Gen.String[Gen.Char["abc:-[]{}&*!|>'\"# \n\t1.%@`,?"], 0, 60].Sample(text =>
        {
            var result = InstallConfigLoader.LoadText(text, "fuzz.yaml");
            if (result.Config is not null)
            {
                InstallConfigProcessor.Process(result.Config, _ => null);
            }
        }, iter: 3000);
    }

    [Fact]
    public void Go_quoting_round_trips_printable_ASCII()
    {
        Gen.String[Gen.Char[' ', '~'], 0, 30].Sample(s =>
        {
            var quoted = GoFormat.Quote(s);
            quoted[0].ShouldBe('"');
            quoted[^1].ShouldBe('"');
            quoted[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal).ShouldBe(s);
        });
    }
}
