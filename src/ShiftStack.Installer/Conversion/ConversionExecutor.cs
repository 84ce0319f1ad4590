using System.Net;
using ShiftStack.Installer.Planning;
using ShiftStack.Installer.Provisioning;
using ShiftStack.OpenStack;
using ShiftStack.OpenStack.Networking;

namespace ShiftStack.Installer.Conversion;

/// <summary>
/// Applies the OpenStack part of a <see cref="ConversionPlan"/>. Every addition is written to the
/// <see cref="ConversionRecord"/> before its request is sent, so an interruption at any point leaves a record that
/// covers everything that may have been added; the next run re-observes and plans only what is missing. Port updates are
/// conditional on the observed <c>revision_number</c> (a port changed by someone else in between fails with 412 rather
/// than losing that change). Each change is a step reported to an <see cref="IProgressSink"/>, as provisioning and
/// destroy report theirs: started before its request (once the record holds it), completed with what it did, or failed
/// with why.
/// </summary>
public static class ConversionExecutor
{
    /// <summary>Applies the plan.</summary>
    /// <param name="network">Neutron.</param>
    /// <param name="plan">A plan whose <see cref="ConversionPlan.CanApply"/> is true.</param>
    /// <param name="facts">The facts the plan came from.</param>
    /// <param name="directory">The installation directory (the record lives in <c>.shiftstack/</c>).</param>
    /// <param name="progress">Progress: one step per change.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The record after the apply.</returns>
    /// <exception cref="ConversionException">The plan has errors, or Neutron refused a change.</exception>
    public static async Task<ConversionRecord> ApplyAsync(
        NetworkingClient network,
        ConversionPlan plan,
        ConversionFacts facts,
        string directory,
        IProgressSink? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(facts);
        var steps = new Steps(progress ?? NullProgressSink.Instance, cancellationToken);
        if (!plan.CanApply || plan.Ipv6 is null)
        {
            throw new ConversionException("the conversion cannot be applied: " + string.Join("; ", plan.Errors.Select(e => e.Message)));
        }

        try
        {
            return plan.Target == ConversionTarget.DualStack
                ? await ApplyDualStackAsync(network, plan, facts, directory, steps, cancellationToken).ConfigureAwait(false)
                : await ApplySingleStackAsync(network, plan, facts, directory, steps, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConversionException($"a port changed while the conversion was running ({e.Message}): run the command again, it continues where it stopped", e);
        }
    }

    private static async Task<ConversionRecord> ApplyDualStackAsync(
        NetworkingClient network, ConversionPlan plan, ConversionFacts facts, string directory, Steps steps, CancellationToken cancellationToken)
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
            var address = await ApplyPortAsync(network, change, record, directory, [], tag, steps, cancellationToken).ConfigureAwait(false);
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
            await ApplyPortAsync(network, change, record, directory, pairs, tag, steps, cancellationToken).ConfigureAwait(false);
        }

        // 3. Security groups: the IPv6 rules, one bulk request per group.
        foreach (var change in plan.SecurityGroups.Where(g => g.HasWork))
        {
            if (change.RulesToAdd.Count > 0)
            {
                var entry = record.GroupEntry(ClusterNames.RoleName(change.Role), change.GroupId, change.GroupName);
                entry.RuleKeys.AddRange(change.RulesToAdd.Select(RuleKeys.Of).Where(k => !entry.RuleKeys.Contains(k)));
                record.Save(directory);
                await steps.RunAsync($"rules {change.GroupId}", $"security group {change.GroupName}: create {change.RulesToAdd.Count} IPv6 rules",
                    () => network.SecurityGroupRules.CreateBulkAsync(
                        change.RulesToAdd.Select(rule => rule.ToCreateOptions(change.GroupId, ConversionPlanner.RuleDescription)), cancellationToken),
                    $"security group {change.GroupName}: {change.RulesToAdd.Count} IPv6 rules created").ConfigureAwait(false);
            }

            if (change.AddTag)
            {
                await steps.RunAsync($"tag {change.GroupId}", $"security group {change.GroupName}: tag {tag}",
                    () => network.Tags.AddAsync(TaggableResources.SecurityGroups, change.GroupId, tag, cancellationToken),
                    $"security group {change.GroupName}: tagged {tag}").ConfigureAwait(false);
            }
        }

        record.Complete = true;
        record.Save(directory);
        return record;
    }

    /// <summary>Requests the port's IPv6 address and adds pairs (recorded first), then tags it; returns its IPv6 address.</summary>
    private static async Task<string?> ApplyPortAsync(
        NetworkingClient network, PortChange change, ConversionRecord record, string directory, List<string> pairs, string tag,
        Steps steps, CancellationToken cancellationToken)
    {
        var address = change.CurrentIpv6;
        if (change.NeedsUpdate)
        {
            var entry = record.PortEntry(change.PortId, change.PortName, ConversionPlanner.KindText(change.Kind));
            entry.AddressRequested |= change.Address == AddressAction.Request;
            entry.PairsAdded.AddRange(pairs.Where(p => !entry.PairsAdded.Contains(p)));
            record.Save(directory);

            var requested = new List<string>();
            if (change.Address == AddressAction.Request)
            {
                requested.Add("request an IPv6 address");
            }

            if (pairs.Count > 0)
            {
                requested.Add("add allowed address pairs " + string.Join(", ", pairs));
            }

            address = await steps.RunAsync($"port {change.PortId}", $"port {change.PortName}: " + string.Join("; ", requested), async () =>
            {
                var current = await network.Ports.GetAsync(change.PortId, cancellationToken).ConfigureAwait(false);
                var update = new PortUpdateOptions
                {
                    FixedIps = change.Address == AddressAction.Request ? change.FixedIpsAfter : null,
                    AllowedAddressPairs = pairs.Count == 0 ? null
                        : [.. current.AllowedAddressPairs, .. pairs.Where(p => !ConversionPlanner.HasPair(current, p)).Select(p => new AllowedAddressPair { IpAddress = p })],
                };
                var updated = await network.Ports.UpdateAsync(change.PortId, update, change.RevisionNumber, cancellationToken).ConfigureAwait(false);
                var given = ConversionPlanner.AddressOn(updated, record.Ipv6SubnetId);
                entry.Address = given;
                record.Save(directory);
                if (given is null && change.Address == AddressAction.Request)
                {
                    throw new ConversionException($"port {change.PortName} ({change.PortId}) got no address on subnet {record.Ipv6SubnetId} from the fixed_ips update");
                }

                return given;
            }, given =>
            {
                var what = new List<string>();
                if (change.Address == AddressAction.Request)
                {
                    what.Add($"IPv6 address {given}");
                }

                if (pairs.Count > 0)
                {
                    what.Add("allowed address pairs " + string.Join(", ", pairs));
                }

                return $"port {change.PortName}: " + string.Join("; ", what);
            }).ConfigureAwait(false);
        }

        if (change.AddTag)
        {
            await steps.RunAsync($"tag {change.PortId}", $"port {change.PortName}: tag {tag}",
                () => network.Tags.AddAsync(TaggableResources.Ports, change.PortId, tag, cancellationToken),
                $"port {change.PortName}: tagged {tag}").ConfigureAwait(false);
        }

        return address;
    }

    private static async Task<ConversionRecord> ApplySingleStackAsync(
        NetworkingClient network, ConversionPlan plan, ConversionFacts facts, string directory, Steps steps, CancellationToken cancellationToken)
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
                var remove = change.PairsToRemove.ToHashSet(StringComparer.Ordinal);
                var removed = new List<string>();
                if (change.Address == AddressAction.Remove)
                {
                    removed.Add($"IPv6 address {change.CurrentIpv6}");
                }

                if (remove.Count > 0)
                {
                    removed.Add("allowed address pairs " + string.Join(", ", remove.Order(StringComparer.Ordinal)));
                }

                await steps.RunAsync($"port {change.PortId}", $"port {change.PortName}: remove " + string.Join("; ", removed), async () =>
                {
                    var current = await network.Ports.GetAsync(change.PortId, cancellationToken).ConfigureAwait(false);
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
                }, $"port {change.PortName}: " + string.Join("; ", removed.Select(r => r + " removed"))).ConfigureAwait(false);
            }

            if (change.RemoveTag)
            {
                await steps.RunAsync($"tag {change.PortId}", $"port {change.PortName}: remove tag {tag}",
                    () => RemoveTagAsync(network, TaggableResources.Ports, change.PortId, tag, cancellationToken),
                    $"port {change.PortName}: tag {tag} removed").ConfigureAwait(false);
            }
        }

        foreach (var change in plan.SecurityGroups.Where(g => g.HasWork))
        {
            if (change.RulesToDelete.Count > 0)
            {
                await steps.RunAsync($"rules {change.GroupId}", $"security group {change.GroupName}: delete {change.RulesToDelete.Count} IPv6 rules", async () =>
                {
                    foreach (var rule in change.RulesToDelete)
                    {
                        await network.SecurityGroupRules.DeleteIfExistsAsync(rule.Id, cancellationToken).ConfigureAwait(false);
                    }

                    var entry = record.GroupEntry(ClusterNames.RoleName(change.Role), change.GroupId, change.GroupName);
                    var deleted = change.RulesToDelete.Select(RuleKeys.Of).ToHashSet(StringComparer.Ordinal);
                    entry.RuleKeys.RemoveAll(deleted.Contains);
                    record.Save(directory);
                }, $"security group {change.GroupName}: {change.RulesToDelete.Count} IPv6 rules deleted").ConfigureAwait(false);
            }

            if (change.RemoveTag)
            {
                await steps.RunAsync($"tag {change.GroupId}", $"security group {change.GroupName}: remove tag {tag}",
                    () => RemoveTagAsync(network, TaggableResources.SecurityGroups, change.GroupId, tag, cancellationToken),
                    $"security group {change.GroupName}: tag {tag} removed").ConfigureAwait(false);
            }
        }

        record.Target = ConversionRecord.SingleStackTarget;
        record.Complete = true;
        record.Save(directory);
        return record;
    }

    /// <summary>Runs each change as a step of the progress sink: started, then completed or failed.</summary>
    private sealed class Steps(IProgressSink progress, CancellationToken cancellationToken)
    {
        public async Task<T> RunAsync<T>(string id, string summary, Func<Task<T>> change, Func<T, string> done)
        {
            progress.Started(id, summary);
            T result;
            try
            {
                result = await change().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                progress.Failed(id, summary, "cancelled");
                throw;
            }
            catch (Exception ex)
            {
                progress.Failed(id, summary, ex.Message);
                throw;
            }

            progress.Completed(id, done(result));
            return result;
        }

        public async Task RunAsync(string id, string summary, Func<Task> change, string done) =>
            await RunAsync(id, summary, async () =>
            {
                await change().ConfigureAwait(false);
                return true;
            }, _ => done).ConfigureAwait(false);
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
