using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Stores;
using Containers.Oci.Model;

namespace Containers.Oci.Tests.Sources;

public sealed class PlatformCheckTests
{
    [Fact]
    public void ASinglePlatformBaseOfAnotherArchitecture_IsError1011_NamingWhatItIs()
    {
        var config = new JsonObject { ["os"] = "linux", ["architecture"] = "amd64" };

        var error = Assert.Throws<ContainerException>(() => ImageDocuments.CheckPlatform(config, new Platform("arm64", "linux", "v8"), "linux-arm64", "localhost:5000/base:1"));

        Assert.Equal(ErrorCatalogue.BaseImagePlatformNotFound.Code, error.Code);
        Assert.Contains("linux-arm64", error.Message);
        Assert.Contains("linux/amd64", error.Message);
    }

    [Theory]
    [InlineData("amd64", null)]
    [InlineData("arm64", "v8")]
    [InlineData("arm64", null)]
    public void AMatchingOrVariantlessConfig_Passes(string architecture, string? variant)
    {
        var config = new JsonObject { ["os"] = "linux", ["architecture"] = architecture };
        if (variant is not null) config["variant"] = variant;
        var wanted = architecture == "amd64" ? new Platform("amd64", "linux") : new Platform("arm64", "linux", "v8");

        ImageDocuments.CheckPlatform(config, wanted, null, "base");
    }

    [Fact]
    public void AConfigWithoutPlatform_Passes()
        => ImageDocuments.CheckPlatform(new JsonObject(), new Platform("arm64", "linux", "v8"), null, "base");
}
