using Containers.Oci.Errors;
using Containers.Oci.Packages;

namespace Containers.Oci.Tests.Packages;

/// <summary>Choosing packages from an index as apt would on a fresh system, without running anything.</summary>
public sealed class PackageResolverTests
{
    private static AvailablePackage Package(string name, string version, string depends = "", string arch = "amd64", string provides = "", string conflicts = "")
        => AvailablePackage.From(Support.ControlText.Paragraph(
            $"Package: {name}\nVersion: {version}\nArchitecture: {arch}\nDepends: {depends}\nProvides: {provides}\nConflicts: {conflicts}\n"), null)!;

    private static PackageResolver Resolver(IEnumerable<AvailablePackage> available, params AvailablePackage[] installed)
        => new(available, installed, "amd64", "http://m.test/debian bookworm main");

    [Fact]
    public void Resolve_TakesTheNewestVersion_AndItsDependencies_NotWhatTheBaseHas()
    {
        var resolver = Resolver([
            Package("libicu72", "72.1-3", "libc6 (>= 2.34), libstdc++6 (>= 12)"),
            Package("libicu72", "72.1-3+deb12u1", "libc6 (>= 2.34), libstdc++6 (>= 12)"),
            Package("libstdc++6", "12.2.0-14", "libc6"),
            Package("libc6", "2.36-9"),
        ], Package("libc6", "2.36-9"));

        var result = resolver.Resolve([new PackageRequest("libicu72")]);

        Assert.Equal(["libicu72 72.1-3+deb12u1", "libstdc++6 12.2.0-14"], result.ToInstall.Select(p => $"{p.Name} {p.Version}"));
    }

    [Fact]
    public void Resolve_TakesTheRequestedVersion()
    {
        var result = Resolver([Package("tzdata", "2024a-0", arch: "all"), Package("tzdata", "2025b-0", arch: "all")]).Resolve([new PackageRequest("tzdata", "2024a-0")]);

        Assert.Equal("2024a-0", Assert.Single(result.ToInstall).Version.ToString());
    }

    [Fact]
    public void Resolve_ReportsARequestTheBaseAlreadyHas_AndInstallsNothingForIt()
    {
        var result = Resolver([Package("libc6", "2.36-9")], Package("libc6", "2.36-9")).Resolve([new PackageRequest("libc6")]);

        Assert.Empty(result.ToInstall);
        Assert.Equal("libc6", Assert.Single(result.AlreadyInBase).Name);
    }

    [Fact]
    public void Resolve_TakesTheFirstAlternativeThatExists_AndAVirtualPackageByItsProvider()
    {
        var resolver = Resolver([
            Package("app", "1", "missing | libfoo (>= 2), mail-transport-agent"),
            Package("libfoo", "1"), Package("libfoo", "2"),
            Package("exim4", "4", provides: "mail-transport-agent"),
        ]);

        var result = resolver.Resolve([new PackageRequest("app")]);

        Assert.Equal(["app 1", "exim4 4", "libfoo 2"], result.ToInstall.Select(p => $"{p.Name} {p.Version}"));
    }

    [Fact]
    public void Resolve_OnlyConsidersTheImagesArchitecture_AndAll()
    {
        var resolver = Resolver([Package("tool", "1", "data, libbar"), Package("data", "1", arch: "all"), Package("libbar", "1", arch: "arm64")]);

        var e = Assert.Throws<ContainerException>(() => resolver.Resolve([new PackageRequest("tool")]));

        Assert.Equal(ErrorCatalogue.PackageDependencyUnsatisfiable, e.Error);
        Assert.Contains("'tool' needs 'libbar'", e.Message);
    }

    [Fact]
    public void Resolve_AnUnknownPackage_IsCONTAINER5806_SuggestingCloseNames()
    {
        var e = Assert.Throws<ContainerException>(() => Resolver([Package("libicu72", "72"), Package("libicu-dev", "72"), Package("curl", "7")]).Resolve([new PackageRequest("libicu71")]));

        Assert.Equal("CONTAINER5806", e.Code);
        Assert.Contains("Did you mean 'libicu72'", e.Message);
        Assert.DoesNotContain("curl", e.Message);
    }

    [Fact]
    public void Resolve_AMissingVersion_ListsTheVersionsThereAre()
    {
        var e = Assert.Throws<ContainerException>(() => Resolver([Package("curl", "7.88.1-10")]).Resolve([new PackageRequest("curl", "8.0-1")]));

        Assert.Equal(ErrorCatalogue.PackageVersionNotFound, e.Error);
        Assert.Contains("7.88.1-10", e.Message);
    }

    [Fact]
    public void Resolve_AConflict_NamesBothPackages()
    {
        var resolver = Resolver([Package("a", "1", conflicts: "b"), Package("b", "1")]);

        var e = Assert.Throws<ContainerException>(() => resolver.Resolve([new PackageRequest("a"), new PackageRequest("b")]));

        Assert.Equal(ErrorCatalogue.PackageConflict, e.Error);
        Assert.Contains("'a 1 (amd64)' and 'b 1 (amd64)'", e.Message);
    }

    [Fact]
    public void Resolve_AConflictWithTheBase_NamesTheBasePackage()
    {
        var e = Assert.Throws<ContainerException>(() => Resolver([Package("new", "1", conflicts: "old (<< 2)")], Package("old", "1")).Resolve([new PackageRequest("new")]));

        Assert.Equal("CONTAINER5807", e.Code);
        Assert.Contains("old 1", e.Message);
    }

    [Theory]
    [InlineData("Libicu")]
    [InlineData("a")]
    [InlineData("lib icu")]
    public void PackageRequest_RefusesAnInvalidName(string name)
        => Assert.Equal(ErrorCatalogue.InvalidPackageItem, Assert.Throws<ContainerException>(() => PackageRequest.Parse(name, null)).Error);

    [Fact]
    public void PackageRequest_RefusesAVersionThatIsNotDebians()
        => Assert.Equal("CONTAINER5812", Assert.Throws<ContainerException>(() => PackageRequest.Parse("curl", "latest")).Code);
}
