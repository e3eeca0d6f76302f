using Containers.Oci.Errors;
using Containers.Oci.SupplyChain;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>ContainerSbom, ContainerSbomFormat and ContainerProvenance: both documents by default, each can be turned off.</summary>
public sealed class SupplyChainOptionsTests
{
    [Theory]
    [InlineData(null, null, null, SbomFormat.CycloneDx, true)]
    [InlineData("", "SPDX", "false", SbomFormat.Spdx, false)]
    [InlineData("true", "cyclonedx", "TRUE", SbomFormat.CycloneDx, true)]
    [InlineData("false", "spdx", null, null, true)]
    public void TheSwitches_ChooseTheDocuments(string? sbom, string? format, string? provenance, SbomFormat? expectedSbom, bool expectedProvenance)
        => Assert.Equal((expectedSbom, expectedProvenance), SupplyChainOptions.Parse(sbom, format, provenance));

    [Fact]
    public void AnUnknownFormat_IsCONTAINER5600()
    {
        var error = Assert.Throws<ContainerException>(() => SupplyChainOptions.Parse(null, "swid", null));

        Assert.Equal("CONTAINER5600", error.Code);
        Assert.Contains("'swid'", error.Message);
    }

    [Fact]
    public void ASwitchThatIsNotABoolean_IsCONTAINER5603()
    {
        var error = Assert.Throws<ContainerException>(() => SupplyChainOptions.Parse(null, null, "yes"));

        Assert.Equal(ErrorCatalogue.InvalidSupplyChainSwitch, error.Error);
        Assert.Contains("ContainerProvenance", error.Message);
    }

    [Fact]
    public void TheSbomFile_IsNamedForTheAppFormatAndPlatform()
    {
        var options = new SupplyChainOptions { Sbom = SbomFormat.Spdx, Provenance = false, SbomDirectory = "/out", SbomName = "App" };

        Assert.Equal(Path.Combine("/out", "App.spdx.json"), options.SbomPath(null));
        Assert.Equal(Path.Combine("/out", "App.linux-arm64.cdx.json"), (options with { Sbom = SbomFormat.CycloneDx }).SbomPath("linux-arm64"));
        Assert.Null((options with { SbomDirectory = null }).SbomPath(null));
    }
}
