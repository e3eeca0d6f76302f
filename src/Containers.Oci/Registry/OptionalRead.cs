using Containers.Oci.Errors;

namespace Containers.Oci.Registry;

/// <summary>
/// A read that the publish can do without (an earlier image to reuse layers from, an SBOM that may name the base's
/// packages): when it fails, what it would have read is only unusable, and the publish goes on the long way.
/// </summary>
internal static class OptionalRead
{
    /// <summary>True for the failures of such a read: anything a registry, the network, the disk or a document can raise, and a
    /// timeout; never the publish's own cancellation.</summary>
    public static bool Failed(Exception e, CancellationToken cancellationToken)
        => e is ContainerException or HttpRequestException or IOException or System.Text.Json.JsonException
           || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
