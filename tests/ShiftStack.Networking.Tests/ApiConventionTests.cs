using System.Reflection;

namespace ShiftStack.Networking.Tests;

public class ApiConventionTests
{
    [Fact]
    public void Every_public_type_is_static_an_enum_or_a_readonly_struct()
    {
        Type[] types = typeof(Cidr).Assembly.GetExportedTypes();

        types.ShouldNotBeEmpty();
        foreach (Type type in types)
        {
            bool isStatic = type.IsClass && type.IsAbstract && type.IsSealed;
            bool isReadOnlyStruct = type.IsValueType && type.GetCustomAttributes().Any(a => a.GetType().Name == "IsReadOnlyAttribute");
            (isStatic || type.IsEnum || isReadOnlyStruct).ShouldBeTrue($"{type.Name} should be static, an enum or a readonly struct");
        }
    }
}
