using ShiftStack.InstallConfig.Validation;

namespace ShiftStack.InstallConfig.Tests;

/// <summary>The reference's error-string format (install-config.md §2, k8s field/errors.go).</summary>
public class FieldErrorTests
{
    private static readonly FieldPath ApiVips = FieldPath.Root("platform").Child("openstack").Child("apiVIPs");

    [Fact]
    public void Paths_print_like_k8s_field_paths()
    {
        ApiVips.Index(1).ToString().ShouldBe("platform.openstack.apiVIPs[1]");
        FieldPath.Root("platform", "openstack", "controlPlanePort").Child("fixedIPs").Index(0).Child("subnet").Child("id").ToString()
            .ShouldBe("platform.openstack.controlPlanePort.fixedIPs[0].subnet.id");
        FieldPath.Root("platform").Child("openstack").Child("clusterOSImageProperties").Key("hw_qemu_guest_agent").ToString()
            .ShouldBe("platform.openstack.clusterOSImageProperties[hw_qemu_guest_agent]");
        FieldPath.Empty.Child("a").ToString().ShouldBe("a");
        FieldPath.Root("compute").Index(2).Parent!.ToString().ShouldBe("compute");
        FieldPath.Root("a").Child("b").ShouldBe(FieldPath.Root("a", "b"));
    }

    public static TheoryData<FieldError, string> Renderings() => new()
    {
        { FieldError.Invalid(ApiVips, "10.0.0.5", "detail"), "platform.openstack.apiVIPs: Invalid value: \"10.0.0.5\": detail" },
        { FieldError.Invalid(ApiVips, "a\"b\\c\n\t\u0001é", "d"), "platform.openstack.apiVIPs: Invalid value: \"a\\\"b\\\\c\\n\\t\\x01é\": d" },
        { FieldError.Invalid(ApiVips, new[] { "a", "b<" }, "d"), "platform.openstack.apiVIPs: Invalid value: [\"a\",\"b\\u003c\"]: d" },
        { FieldError.Invalid(FieldPath.Root("x"), 23, "d"), "x: Invalid value: 23: d" },
        { FieldError.Invalid(FieldPath.Root("x"), -1L, "d"), "x: Invalid value: -1: d" },
        { FieldError.Invalid(FieldPath.Root("x"), true, "d"), "x: Invalid value: true: d" },
        { FieldError.Invalid(FieldPath.Root("x"), null, "d"), "x: Invalid value: null: d" },
        { FieldError.Required(ApiVips, "must specify at least one VIP for the API"), "platform.openstack.apiVIPs: Required value: must specify at least one VIP for the API" },
        { FieldError.NotFound(FieldPath.Root("x"), "net"), "x: Not found: \"net\"" },
        { FieldError.TooMany(ApiVips, 3, 2), "platform.openstack.apiVIPs: Too many: 3: must have at most 2 items" },
        { FieldError.Forbidden(FieldPath.Root("x"), "no"), "x: Forbidden: no" },
        { FieldError.Internal(FieldPath.Root("x"), "boom"), "x: Internal error: boom" },
        { FieldError.NotSupported(FieldPath.Root("x"), "y", ["a", "b"]), "x: Unsupported value: \"y\": supported values: \"a\", \"b\"" },
        { FieldError.Duplicate(FieldPath.Root("x"), "worker"), "x: Duplicate value: \"worker\"" },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Renders_exactly_like_the_reference(FieldError error, string expected)
    {
        error.ToString().ShouldBe(expected);
    }

    [Fact]
    public void A_list_of_errors_prints_like_a_k8s_aggregate()
    {
        var one = FieldError.Forbidden(FieldPath.Root("a"), "x");
        var two = FieldError.Forbidden(FieldPath.Root("b"), "y");

        new FieldErrorList().ToString().ShouldBe(string.Empty);
        new FieldErrorList([one]).ToString().ShouldBe("a: Forbidden: x");
        new FieldErrorList([one, two, one]).ToString().ShouldBe("[a: Forbidden: x, b: Forbidden: y]");
    }

    [Fact]
    public void Source_map_locates_errors_at_the_closest_existing_field()
    {
        var load = InstallConfigLoader.LoadText("apiVersion: v1\nplatform:\n  openstack:\n    apiVIPs:\n    - 10.9.9.9\n", "ic.yaml");
        var errors = new FieldErrorList([FieldError.Invalid(ApiVips, "10.9.9.9", "d"), FieldError.Required(FieldPath.Root("platform", "openstack", "ingressVIPs"), "r")]);

        var located = load.Source.Locate(errors);

        located[0].Position.ShouldBe(new SourcePosition("ic.yaml", 4, 5));
        located[1].Position.ShouldBe(new SourcePosition("ic.yaml", 3, 3));
        located[0].Position!.ToString().ShouldBe("ic.yaml:4:5");
    }
}
