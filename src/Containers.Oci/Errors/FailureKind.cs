namespace Containers.Oci.Errors;

/// <summary>The kinds of failure the engine tells apart (ORAS's and go-containerregistry's, for images).</summary>
public enum FailureKind
{
    Other,
    /// <summary>No such image, manifest, tag or blob where it was looked for.</summary>
    NotFound,
    /// <summary>The registry refused the credentials, or asked for some.</summary>
    AccessDenied,
    /// <summary>The registry could not be reached, or stopped answering.</summary>
    Unreachable,
    /// <summary>Content did not match its digest or size.</summary>
    DigestMismatch,
    /// <summary>The registry answered with an error of its own (a status and, usually, its error codes).</summary>
    RegistryAnswer,
}
