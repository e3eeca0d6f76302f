using Containers.Oci.Publishing;
using Microsoft.Build.Framework;

namespace Containers.Build.Tasks;

/// <summary>
/// ContainerRefreshBaseImageLock: records the digest the base image resolves to now, for one runtime identifier, in
/// the lock file (<see cref="BaseImageLockRefresher"/>). Builds and sends nothing.
/// </summary>
public sealed class RefreshContainerBaseImageLock : ContainerTask
{
    [Required] public string BaseImage { get; set; } = "";
    [Required] public string RuntimeIdentifier { get; set; } = "";
    public string? LockFile { get; set; }
    [Required] public string ProjectDirectory { get; set; } = "";
    public string? CacheDirectory { get; set; }

    [Output] public string? LockFilePath { get; private set; }

    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
        => LockFilePath = await BaseImageLockRefresher.RefreshAsync(BaseImage, RuntimeIdentifier, LockFile, ProjectDirectory, CacheDirectory, EngineLog(), cancellationToken);
}
