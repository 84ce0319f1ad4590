using System.Text.Json.Serialization;
using ShiftStack.OpenStack.Core;

namespace ShiftStack.OpenStack.Compute;

/// <summary>A server's <c>status</c> (Nova's open set of values).</summary>
[JsonConverter(typeof(StringValueConverter<ServerStatus>))]
public readonly struct ServerStatus : IEquatable<ServerStatus>, IStringValue<ServerStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    public ServerStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Running.</summary>
    public static ServerStatus Active { get; } = new("ACTIVE");

    /// <summary>Being built (scheduling, port binding, spawning).</summary>
    public static ServerStatus Build { get; } = new("BUILD");

    /// <summary>Failed; the server's <c>fault</c> says why.</summary>
    public static ServerStatus Error { get; } = new("ERROR");

    /// <summary>Deleted: shown for a moment after a delete completes (before the server is a 404), and to admins listing deleted servers.</summary>
    public static ServerStatus Deleted { get; } = new("DELETED");

    /// <summary>Soft-deleted (the cloud has <c>reclaim_instance_interval</c> set); still holds its ports.</summary>
    public static ServerStatus SoftDeleted { get; } = new("SOFT_DELETED");

    /// <summary>Stopped.</summary>
    public static ServerStatus Shutoff { get; } = new("SHUTOFF");

    /// <summary>Soft reboot in progress.</summary>
    public static ServerStatus Reboot { get; } = new("REBOOT");

    /// <summary>Hard reboot in progress.</summary>
    public static ServerStatus HardReboot { get; } = new("HARD_REBOOT");

    /// <summary>Rebuild in progress.</summary>
    public static ServerStatus Rebuild { get; } = new("REBUILD");

    /// <summary>Paused.</summary>
    public static ServerStatus Paused { get; } = new("PAUSED");

    /// <summary>Suspended.</summary>
    public static ServerStatus Suspended { get; } = new("SUSPENDED");

    /// <summary>Shelved.</summary>
    public static ServerStatus Shelved { get; } = new("SHELVED");

    /// <summary>Shelved and offloaded.</summary>
    public static ServerStatus ShelvedOffloaded { get; } = new("SHELVED_OFFLOADED");

    /// <summary>Resize or migration in progress.</summary>
    public static ServerStatus Resize { get; } = new("RESIZE");

    /// <summary>Resized, waiting for confirmation.</summary>
    public static ServerStatus VerifyResize { get; } = new("VERIFY_RESIZE");

    /// <summary>Live migration in progress.</summary>
    public static ServerStatus Migrating { get; } = new("MIGRATING");

    /// <summary>Nova cannot tell (e.g. the cell is down).</summary>
    public static ServerStatus Unknown { get; } = new("UNKNOWN");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts wire text.</summary>
    public static implicit operator ServerStatus(string value) => new(value);

    /// <summary>Equality.</summary>
    public static bool operator ==(ServerStatus left, ServerStatus right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ServerStatus left, ServerStatus right) => !left.Equals(right);

    /// <inheritdoc />
    static ServerStatus IStringValue<ServerStatus>.FromValue(string value) => new(value);

    /// <summary>Converts wire text.</summary>
    public static ServerStatus FromString(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(ServerStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ServerStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
