namespace Containers.Oci.Stores;

/// <summary>The local container engines an image can be loaded into or taken from (the LocalRegistry property).</summary>
public enum LocalDaemonKind
{
    Docker,
    Podman,
}
