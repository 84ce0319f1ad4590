using System.Security.Cryptography;
using ShiftStack.OpenStack;

namespace ShiftStack.Installer.Provisioning;

/// <summary>
/// <c>POST /v2/images</c> then <c>PUT /v2/images/{id}/file</c>: openshift-install's <c>bootstrap.ign</c> as the Glance
/// image <c>&lt;infraID&gt;-ignition</c> (<c>bare</c>/<c>raw</c>, tagged <c>openshiftClusterID=&lt;infraID&gt;</c>), as the
/// installer uploads it. An image of that name that is not active with exactly this data (an upload that failed or was
/// cut off, or an older <c>bootstrap.ign</c>) is deleted first; a failed upload deletes the image it made, so a re-run
/// starts clean. A request whose answer is lost (Glance restarted mid-request) is resolved by looking: an image of this
/// name and tag that holds exactly the data is the step done; any other is deleted and the step sent again.
/// </summary>
public sealed record UploadBootstrapIgnitionStep(DesiredIgnitionImage Image, IReadOnlyList<ImageInfo> Stale) : PlanStep
{
    /// <inheritdoc />
    public override string Kind => "upload-ignition";

    /// <inheritdoc />
    public override string Request => "POST /v2/images, PUT /v2/images/{id}/file";

    /// <inheritdoc />
    public override string Summary => $"upload {Image.File} to Glance as image {Image.Name}";

    /// <inheritdoc />
    public override int ExpectedRequests => 2 + Stale.Count;

    /// <inheritdoc />
    public override IReadOnlyList<string> Details =>
    [
        $"container_format bare, disk_format raw, tags [{string.Join(", ", Image.Tags)}]",
        .. Stale.Select(i => $"first delete image {i.Name} ({i.Id}, {i.Status}): not the current {Image.File}"),
    ];

    internal override async Task<string> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
        var ignition = context.Ignition ?? throw new InvalidOperationException("no Ignition delivery");
        var data = ignition.ReadFile(Image.File);
        foreach (var stale in Stale)
        {
            await compute.DeleteImageAsync(stale.Id, cancellationToken).ConfigureAwait(false);
        }

        return await CreateAndUploadAsync(context, compute, data, afterConflict: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> CreateAndUploadAsync(StepContext context, IComputeProvisioning compute, byte[] data, bool afterConflict, CancellationToken cancellationToken)
    {
        context.State.RecordIntent(Refs.BootstrapIgnitionImage, "image", Image.Name);
        ImageInfo image;
        try
        {
            image = await compute.CreateImageAsync(Image.Name, Image.Tags, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (!PlanExecutor.IsLostAnswer(e))
        {
            throw new ProvisioningException($"Glance refused to create image {Image.Name} for {Image.File}: {e.Message}; nothing was uploaded, run 'shiftstack create cluster' again once Glance accepts images", e);
        }

        context.State.RecordCreated(Refs.BootstrapIgnitionImage, "image", Image.Name, image.Id);
        OpenStackException? failure = null;
        try
        {
            await compute.UploadImageAsync(image.Id, data, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (!PlanExecutor.IsLostAnswer(e))
        {
            // A lost answer goes up to the executor, which looks (ResolveLostAnswerAsync).
            failure = e;
        }

        // A retried upload is refused (409) when the first attempt, whose answer was lost, had stored the data, or when
        // Glance was stopped in the middle of it (the image stays "saving"): done in the first case; in the second the
        // image is deleted and made again, once.
        if (failure is not null && !await HoldsDataAsync(compute, image.Id, data, cancellationToken).ConfigureAwait(false))
        {
            if (failure.StatusCode == System.Net.HttpStatusCode.Conflict && !afterConflict)
            {
                await compute.DeleteImageAsync(image.Id, cancellationToken).ConfigureAwait(false);
                context.State.Forget(Refs.BootstrapIgnitionImage);
                context.Progress.Message($"{Summary}: Glance refused the upload ({failure.Message}); the image was cut off mid-upload, making it again");
                return await CreateAndUploadAsync(context, compute, data, afterConflict: true, cancellationToken).ConfigureAwait(false);
            }

            // Remove the empty record so that the next run does not find a queued image; if that fails too, the next
            // run deletes it (it is not active with this data).
            try
            {
                await compute.DeleteImageAsync(image.Id, CancellationToken.None).ConfigureAwait(false);
                context.State.Forget(Refs.BootstrapIgnitionImage);
            }
            catch (OpenStackException)
            {
                // left for the next run or destroy (tagged, and recorded in the state)
            }

            throw new ProvisioningException(
                $"Glance refused the upload of {Image.File} ({data.Length} bytes) to image {Image.Name}: {failure.Message}; no server was booted with it, run 'shiftstack create cluster' again once Glance accepts it (check the image quota: openstack quota show)",
                failure);
        }

        context.Ids[Refs.BootstrapIgnitionImage] = image.Id;
        return $"uploaded {Image.File} ({data.Length} bytes) to image {Image.Name} ({image.Id})";
    }

    /// <inheritdoc />
    internal override bool ResolvesLostAnswers => true;

    /// <inheritdoc />
    internal override async Task<string?> ResolveLostAnswerAsync(StepContext context, CancellationToken cancellationToken)
    {
        var compute = context.Compute ?? throw new InvalidOperationException("no compute client");
        var data = (context.Ignition ?? throw new InvalidOperationException("no Ignition delivery")).ReadFile(Image.File);
        var found = (await compute.ListImagesAsync(Image.Tags[0], cancellationToken).ConfigureAwait(false))
            .Where(i => string.Equals(i.Name, Image.Name, StringComparison.Ordinal))
            .ToList();
        var done = found.FirstOrDefault(i => Holds(i, data));
        foreach (var other in found.Where(i => !ReferenceEquals(i, done)))
        {
            // Made by the request whose answer was lost, but without (all) the data: gone before the step runs again.
            await compute.DeleteImageAsync(other.Id, cancellationToken).ConfigureAwait(false);
        }

        if (done is null)
        {
            context.State.Forget(Refs.BootstrapIgnitionImage);
            return null;
        }

        context.State.RecordCreated(Refs.BootstrapIgnitionImage, "image", Image.Name, done.Id);
        context.Ids[Refs.BootstrapIgnitionImage] = done.Id;
        return $"uploaded {Image.File} ({data.Length} bytes) to image {Image.Name} ({done.Id})";
    }

    private async Task<bool> HoldsDataAsync(IComputeProvisioning compute, string id, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            var image = (await compute.ListImagesAsync(Image.Tags[0], cancellationToken).ConfigureAwait(false)).FirstOrDefault(i => i.Id == id);
            return image is not null && Holds(image, data);
        }
        catch (OpenStackException)
        {
            return false;
        }
    }

    /// <summary>True when an existing image holds exactly <paramref name="data"/> and can be served.</summary>
    public static bool Holds(ImageInfo image, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(data);
        if (!string.Equals(image.Status, "active", StringComparison.OrdinalIgnoreCase) || image.Size != data.Length)
        {
            return false;
        }

        return !string.Equals(image.HashAlgorithm, "sha512", StringComparison.OrdinalIgnoreCase)
            || string.Equals(image.HashValue, Convert.ToHexStringLower(SHA512.HashData(data)), StringComparison.OrdinalIgnoreCase);
    }
}
