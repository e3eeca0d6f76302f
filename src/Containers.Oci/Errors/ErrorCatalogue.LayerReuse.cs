namespace Containers.Oci.Errors;

/// <summary>Layer reuse through the registry (CONTAINER5530-5549): ContainerCacheFrom.</summary>
public static partial class ErrorCatalogue
{
    public static readonly ContainerError InvalidCacheFrom = new("CONTAINER5530",
        "ContainerCacheFrom entry '{0}' is not an image in a registry: {1}.",
        "Write each entry as registry/repository[:tag][@digest], separated by ';' (for example 'myregistry.example.com/app:main'), or 'none' to reuse no layers through the registry.");
}
