using ShiftStack.Installer.Provisioning;

namespace ShiftStack.Installer.Tests.Provisioning;

/// <summary>The state file's intents: what the next run needs to wait for a create whose answer was lost.</summary>
public class ProvisioningStateTests
{
    [Fact]
    public void An_intent_keeps_its_time_through_the_file_until_the_resource_is_created()
    {
        // Given an intent recorded in a state file
        var dir = Directory.CreateTempSubdirectory("shiftstack-state-").FullName;
        try
        {
            var before = DateTimeOffset.UtcNow;
            ProvisioningStateStore.Open(dir, "c-1234", "local").RecordIntent(Refs.Server("c-1234-master-0"), "server", "c-1234-master-0");

            // When the next run opens the file
            var reopened = ProvisioningStateStore.Open(dir, "c-1234", "local");
            var intent = reopened.Resources[Refs.Server("c-1234-master-0")];

            // Then the intent says when it was made (the copy handed out included), and a created resource has no intent time
            intent.Id.ShouldBeNull();
            intent.IntentAt.ShouldNotBeNull().ShouldBeInRange(before, DateTimeOffset.UtcNow);
            reopened.RecordCreated(Refs.Server("c-1234-master-0"), "server", "c-1234-master-0", "id-1");
            ProvisioningStateStore.Open(dir, "c-1234", "local").Resources[Refs.Server("c-1234-master-0")].IntentAt.ShouldBeNull();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
