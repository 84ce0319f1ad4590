using System.Net;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Conversion;

/// <summary>Progress of an apply (one line per change made).</summary>
public interface IConversionProgress
{
    /// <summary>A change was made.</summary>
    void Done(string message);
}

/// <summary>Reports nothing.</summary>
public sealed class NullConversionProgress : IConversionProgress
{
    /// <summary>The shared instance.</summary>
    public static NullConversionProgress Instance { get; } = new();

    /// <inheritdoc />
    public void Done(string message)
    {
    }
}

/// <summary>
/// Applies the OpenStack part of a <see cref="ConversionPlan"/>. Every addition is written to the
/// <see cref="ConversionRecord"/> before its request is sent, so an interruption at any point leaves a record that
/// covers everything that may have been added; the next run re-observes and plans only what is missing. Port updates are
/// conditional on the observed <c>revision_number</c> (a port changed by someone else in between fails with 412 rather
/// than losing that change).
/// </summary>
public static class ConversionExecutor
{
    /// <summary>Applies the plan.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="plan">A plan whose <see cref="ConversionPlan.CanApply"/> is true.</param>
    /// <param name="facts">The facts the plan came from.</param>
    /// <param name="directory">The installation directory (the record lives in <c>.shiftstack/</c>).</param>
    /// <param name="progress">Progress.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The record after the apply.</returns>
    /// <exception cref="ConversionException">The plan has errors, or Neutron refused a change.</exception>
    public static async Task<ConversionRecord> ApplyAsync(
        NetworkingClient network,
        ConversionPlan plan,
        ConversionFacts facts,
        string directory,
        IConversionProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(facts);
        progress ??= NullConversionProgress.Instance;
        if (!plan.CanApply || plan.Ipv6 is null)
        {
            throw new ConversionException("the conversion cannot be applied: " + string.Join("; ", plan.Errors.Select(e => e.Message)));
        }

        try
        {
            return plan.Target == ConversionTarget.DualStack
                ? await ApplyDualStackAsync(network, plan, facts, directory, progress, cancellationToken).ConfigureAwait(false)
                : await ApplySingleStackAsync(network, plan, facts, directory, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConversionException($"a port changed while the conversion was running ({e.Message}): run the command again, it continues where it stopped", e);
        }
    }

    private static async Task<ConversionRecord> ApplyDualStackAsync(
        NetworkingClient network, ConversionPlan plan, ConversionFacts facts, string directory, IConversionProgress progress, CancellationToken cancellationToken)
    {
        var side = plan.Ipv6!;
        var tag = ConversionPlanner.ConversionTag(plan.InfraId);
        var record = facts.Record is { Target: ConversionRecord.DualStackTarget } r && r.InfraId == plan.InfraId ? r : new ConversionRecord();
        record.InfraId = plan.InfraId;
        record.Target = ConversionRecord.DualStackTarget;
        record.Complete = false;
        record.Ipv6SubnetId = side.SubnetId;
        record.Ipv6SubnetCidr = side.SubnetCidr;
        record.Mode = side.Mode;
        record.AutoAddress = side.IsAutoAddress;
        record.ClusterNetwork = side.ClusterNetwork;
        record.HostPrefix = side.HostPrefix;
        record.ServiceNetwork = side.ServiceNetwork;
        record.ApiVip ??= side.ApiVip;
        record.IngressVip ??= side.IngressVip;
        record.Save(directory);

        // 1. VIP ports: their IPv6 addresses become the IPv6 VIPs.
        var vips = new Dictionary<VipRole, string?> { [VipRole.Api] = side.ApiVip, [VipRole.Ingress] = side.IngressVip };
        foreach (var change in plan.Ports.Where(p => p.Kind != PortKind.Node))
        {
            var role = change.Kind == PortKind.ApiVip ? VipRole.Api : VipRole.Ingress;
            var address = await ApplyPortAsync(network, change, record, directory, [], tag, progress, cancellationToken).ConfigureAwait(false);
            vips[role] = address ?? vips[role];
        }

        record.ApiVip = vips[VipRole.Api] ?? record.ApiVip;
        record.IngressVip = vips[VipRole.Ingress] ?? record.IngressVip;
        record.Save(directory);

        // 2. Node ports: address and the IPv6 VIP pairs.
        foreach (var change in plan.Ports.Where(p => p.Kind == PortKind.Node))
        {
            var pairs = change.PairsToAdd.Select(role => vips[role]
                ?? throw new ConversionException($"the IPv6 {ConversionPlanner.RoleText(role)} VIP is not known (its VIP port has no IPv6 address)")).ToList();
            await ApplyPortAsync(network, change, record, directory, pairs, tag, progress, cancellationToken).ConfigureAwait(false);
        }

        // 3. Security groups: the IPv6 rules, one bulk request per group.
        foreach (var change in plan.SecurityGroups.Where(g => g.HasWork))
        {
            if (change.RulesToAdd.Count > 0)
            {
                var entry = record.GroupEntry(ClusterNames.RoleName(change.Role), change.GroupId, change.GroupName);
                entry.RuleKeys.AddRange(change.RulesToAdd.Select(RuleKeys.Of).Where(k => !entry.RuleKeys.Contains(k)));
                record.Save(directory);
                await network.SecurityGroupRules.CreateBulkAsync(
                    change.RulesToAdd.Select(rule => rule.ToCreateOptions(change.GroupId, ConversionPlanner.RuleDescription)), cancellationToken).ConfigureAwait(false);
                progress.Done($"security group {change.GroupName}: {change.RulesToAdd.Count} IPv6 rules created");
            }

            if (change.AddTag)
            {
                await network.Tags.AddAsync(TaggableResources.SecurityGroups, change.GroupId, tag, cancellationToken).ConfigureAwait(false);
                progress.Done($"security group {change.GroupName}: tagged {tag}");
            }
        }

        record.Complete = true;
        record.Save(directory);
        return record;
    }

    /// <summary>Requests the port's IPv6 address and adds pairs (recorded first), then tags it; returns its IPv6 address.</summary>
    private static async Task<string?> ApplyPortAsync(
        NetworkingClient network, PortChange change, ConversionRecord record, string directory, List<string> pairs, string tag,
        IConversionProgress progress, CancellationToken cancellationToken)
    {
        var address = change.CurrentIpv6;
        if (change.NeedsUpdate)
        {
            var entry = record.PortEntry(change.PortId, change.PortName, ConversionPlanner.KindText(change.Kind));
            entry.AddressRequested |= change.Address == AddressAction.Request;
            entry.PairsAdded.AddRange(pairs.Where(p => !entry.PairsAdded.Contains(p)));
            record.Save(directory);

            var current = await network.Ports.GetAsync(change.PortId, cancellationToken).ConfigureAwait(false);
            var update = new PortUpdateOptions
            {
                FixedIps = change.Address == AddressAction.Request ? change.FixedIpsAfter : null,
                AllowedAddressPairs = pairs.Count == 0 ? null
                    : [.. current.AllowedAddressPairs, .. pairs.Where(p => !ConversionPlanner.HasPair(current, p)).Select(p => new AllowedAddressPair { IpAddress = p })],
            };
            var updated = await network.Ports.UpdateAsync(change.PortId, update, change.RevisionNumber, cancellationToken).ConfigureAwait(false);
            address = ConversionPlanner.AddressOn(updated, record.Ipv6SubnetId);
            entry.Address = address;
            record.Save(directory);
            var what = new List<string>();
            if (change.Address == AddressAction.Request)
            {
                what.Add($"IPv6 address {address ?? "(none given by Neutron)"}");
            }

            if (pairs.Count > 0)
            {
                what.Add("allowed address pairs " + string.Join(", ", pairs));
            }

            progress.Done($"port {change.PortName}: " + string.Join("; ", what));
            if (address is null && change.Address == AddressAction.Request)
            {
                throw new ConversionException($"port {change.PortName} ({change.PortId}) got no address on subnet {record.Ipv6SubnetId} from the fixed_ips update");
            }
        }

        if (change.AddTag)
        {
            await network.Tags.AddAsync(TaggableResources.Ports, change.PortId, tag, cancellationToken).ConfigureAwait(false);
            progress.Done($"port {change.PortName}: tagged {tag}");
        }

        return address;
    }

    private static async Task<ConversionRecord> ApplySingleStackAsync(
        NetworkingClient network, ConversionPlan plan, ConversionFacts facts, string directory, IConversionProgress progress, CancellationToken cancellationToken)
    {
        var record = facts.Record!;
        var tag = ConversionPlanner.ConversionTag(plan.InfraId);
        record.Complete = false;
        record.Save(directory);

        // Node ports first (their pairs point at the VIP ports' addresses), then the VIP ports.
        foreach (var change in plan.Ports.OrderBy(p => p.Kind == PortKind.Node ? 0 : 1).Where(p => p.HasWork))
        {
            var entry = record.PortEntry(change.PortId, change.PortName, ConversionPlanner.KindText(change.Kind));
            if (change.NeedsUpdate)
            {
                var current = await network.Ports.GetAsync(change.PortId, cancellationToken).ConfigureAwait(false);
                var remove = change.PairsToRemove.ToHashSet(StringComparer.Ordinal);
                var update = new PortUpdateOptions
                {
                    FixedIps = change.Address == AddressAction.Remove ? change.FixedIpsAfter : null,
                    AllowedAddressPairs = remove.Count == 0 ? null
                        : current.AllowedAddressPairs.Where(p => !remove.Contains(ConversionPlanner.PairAddress(p.IpAddress))).ToList(),
                };
                await network.Ports.UpdateAsync(change.PortId, update, change.RevisionNumber, cancellationToken).ConfigureAwait(false);
                entry.PairsAdded.RemoveAll(remove.Contains);
                if (change.Address == AddressAction.Remove)
                {
                    entry.AddressRequested = false;
                    entry.Address = null;
                }

                record.Save(directory);
                var what = new List<string>();
                if (change.Address == AddressAction.Remove)
                {
                    what.Add($"IPv6 address {change.CurrentIpv6} removed");
                }

                if (remove.Count > 0)
                {
                    what.Add("allowed address pairs " + string.Join(", ", remove.Order(StringComparer.Ordinal)) + " removed");
                }

                progress.Done($"port {change.PortName}: " + string.Join("; ", what));
            }

            if (change.RemoveTag)
            {
                await RemoveTagAsync(network, TaggableResources.Ports, change.PortId, tag, cancellationToken).ConfigureAwait(false);
                progress.Done($"port {change.PortName}: tag {tag} removed");
            }
        }

        foreach (var change in plan.SecurityGroups.Where(g => g.HasWork))
        {
            foreach (var rule in change.RulesToDelete)
            {
                await network.SecurityGroupRules.DeleteIfExistsAsync(rule.Id, cancellationToken).ConfigureAwait(false);
            }

            if (change.RulesToDelete.Count > 0)
            {
                var entry = record.GroupEntry(ClusterNames.RoleName(change.Role), change.GroupId, change.GroupName);
                var deleted = change.RulesToDelete.Select(RuleKeys.Of).ToHashSet(StringComparer.Ordinal);
                entry.RuleKeys.RemoveAll(deleted.Contains);
                record.Save(directory);
                progress.Done($"security group {change.GroupName}: {change.RulesToDelete.Count} IPv6 rules deleted");
            }

            if (change.RemoveTag)
            {
                await RemoveTagAsync(network, TaggableResources.SecurityGroups, change.GroupId, tag, cancellationToken).ConfigureAwait(false);
                progress.Done($"security group {change.GroupName}: tag {tag} removed");
            }
        }

        record.Target = ConversionRecord.SingleStackTarget;
        record.Complete = true;
        record.Save(directory);
        return record;
    }

    private static async Task RemoveTagAsync(NetworkingClient network, string resource, string id, string tag, CancellationToken cancellationToken)
    {
        try
        {
            await network.Tags.RemoveAsync(resource, id, tag, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (e.IsNotFound)
        {
            // already gone
        }
    }
}
