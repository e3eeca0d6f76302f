using Containers.Oci.Errors;
using Containers.Oci.Registry;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Errors;

/// <summary>Failures carry their kind, so callers act on a kind instead of comparing catalogue entries; codes and messages stay the catalogue's.</summary>
public sealed class FailureKindTests
{
    public static TheoryData<string, FailureKind> KindedEntries => new()
    {
        { nameof(ErrorCatalogue.RepositoryNotFound), FailureKind.NotFound },
        { nameof(ErrorCatalogue.BlobNotInSource), FailureKind.NotFound },
        { nameof(ErrorCatalogue.BaseImageNotInSource), FailureKind.NotFound },
        { nameof(ErrorCatalogue.RegistryAccessDenied), FailureKind.AccessDenied },
        { nameof(ErrorCatalogue.RegistryUnreachable), FailureKind.Unreachable },
        { nameof(ErrorCatalogue.RegistryTimedOut), FailureKind.Unreachable },
        { nameof(ErrorCatalogue.DigestMismatch), FailureKind.DigestMismatch },
        { nameof(ErrorCatalogue.RegistryProtocolError), FailureKind.RegistryAnswer },
        { nameof(ErrorCatalogue.InvalidTag), FailureKind.Other },
    };

    [Theory]
    [MemberData(nameof(KindedEntries))]
    public void Each_entry_gives_an_exception_of_its_kind_with_its_code(string entry, FailureKind expected)
    {
        var error = (ContainerError)typeof(ErrorCatalogue).GetField(entry)!.GetValue(null)!;

        var exception = error.ToException("a", "b", "c", "d", "e", "f");

        Assert.Equal(expected, exception.Kind);
        Assert.Equal(error.Code, exception.Code);
        Assert.Equal(error.Format("a", "b", "c", "d", "e", "f"), exception.Message);
    }

    [Fact]
    public async Task A_missing_manifest_is_of_the_not_found_kind()
    {
        var registry = new InMemoryRegistry();
        using var clients = new RegistryClientProvider(registry.ClientOptions());

        var error = await Assert.ThrowsAsync<ContainerException>(() => clients.Get("registry.example.com").GetManifestAsync("app", "missing"));

        Assert.Equal(FailureKind.NotFound, error.Kind);
        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);
    }
}
