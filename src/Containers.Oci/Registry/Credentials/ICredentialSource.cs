namespace Containers.Oci.Registry.Credentials;

/// <summary>
/// One place credentials may be kept: the environment, Docker's config, Podman's auth files, or anything a host adds.
/// Sources are asked in order by a <see cref="CredentialChain"/>; the first that knows the registry wins.
/// </summary>
public interface ICredentialSource
{
    /// <summary>Where this source looks, for "no credentials were found (looked in …)". Never a secret.</summary>
    string Description { get; }

    /// <summary>The credential for <paramref name="registry"/> (as written in an image reference), or null when this source has none.</summary>
    /// <exception cref="Errors.ContainerException">The source exists but cannot be read (a broken file, a failing helper).</exception>
    Task<RegistryCredential?> FindAsync(string registry, RegistryAccess access, CancellationToken cancellationToken);
}
