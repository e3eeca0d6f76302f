using Containers.Oci.SupplyChain;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>dpkg's database, as full Debian images (status) and distroless images (status.d) keep it.</summary>
public sealed class DpkgStatusTests
{
    private const string Status = """
        Package: libc6
        Status: install ok installed
        Priority: optional
        Architecture: amd64
        Source: glibc (2.36-9+deb12u10)
        Version: 2.36-9+deb12u10
        Description: GNU C Library: Shared libraries
         Contains the standard libraries that are used by nearly all programs on
         the system.
        
        Package: removed-one
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 1.0
        
        Package: zlib1g
        Status: install ok installed
        Architecture: amd64
        Source: zlib
        Version: 1:1.2.13.dfsg-1
        """;

    [Fact]
    public void InstalledPackages_AreRead_WithSourceNameAndArchitecture_AndRemovedOnesLeftOut()
    {
        var packages = DpkgStatus.Parse(Status.ReplaceLineEndings("\n"));

        Assert.Equal(
            [new OsPackage("libc6", "2.36-9+deb12u10", "amd64", "glibc"), new OsPackage("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib")],
            packages);
    }

    [Fact]
    public void AStatusDRecordWithoutStatus_CountsAsInstalled()
    {
        var packages = DpkgStatus.Parse("Package: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: arm64\n");

        Assert.Equal([new OsPackage("libssl3", "3.0.15-1~deb12u1", "arm64", null)], packages);
    }

    [Fact]
    public void OsRelease_GivesIdAndVersion()
        => Assert.Equal(("debian", "12"), DpkgStatus.ParseOsRelease("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"));

    [Fact]
    public void DebPackageUrls_NameTheDistroArchitectureAndSource()
    {
        Assert.Equal("pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&upstream=glibc".Replace("%2B", "+"),
            PackageUrl.Deb("debian", new OsPackage("libc6", "2.36-9+deb12u10", "amd64", "glibc")));
        Assert.Equal("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&upstream=zlib", PackageUrl.Deb("Debian", new OsPackage("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib")));
        Assert.Equal("pkg:nuget/Newtonsoft.Json@13.0.4", PackageUrl.NuGet("Newtonsoft.Json", "13.0.4"));
    }
}
