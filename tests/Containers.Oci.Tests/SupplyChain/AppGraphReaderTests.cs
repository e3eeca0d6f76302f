using Containers.Oci.Errors;
using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>What ships, from the .deps.json, with hashes from the assets file and licences from the packages' nuspecs.</summary>
public sealed class AppGraphReaderTests : IDisposable
{
    // Base64 of 64 bytes 0x01..0x40, as NuGet writes package hashes.
    private static readonly string Hash = Convert.ToBase64String(Enumerable.Range(1, 64).Select(i => (byte)i).ToArray());
    private static readonly string HashHex = Convert.ToHexStringLower(Enumerable.Range(1, 64).Select(i => (byte)i).ToArray());
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static string DepsJson(string hash) => $$"""
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64" },
          "targets": {
            ".NETCoreApp,Version=v10.0": {},
            ".NETCoreApp,Version=v10.0/linux-x64": {
              "App/2.0.0": { "dependencies": { "Lib": "1.0.0", "Serilog": "4.0.0", "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64": "10.0.1" }, "runtime": { "App.dll": {} } },
              "Serilog/4.0.0": { "runtime": { "lib/net8.0/Serilog.dll": {} } },
              "Lib/1.0.0": { "dependencies": { "Serilog": "4.0.0" }, "runtime": { "Lib.dll": {} } },
              "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.1": { "runtime": { "System.Private.CoreLib.dll": {} } }
            }
          },
          "libraries": {
            "App/2.0.0": { "type": "project", "serviceable": false, "sha512": "" },
            "Serilog/4.0.0": { "type": "package", "serviceable": true, "sha512": "sha512-{{hash}}", "path": "serilog/4.0.0" },
            "Lib/1.0.0": { "type": "project", "serviceable": false, "sha512": "" },
            "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.1": { "type": "runtimepack", "serviceable": false, "sha512": "" }
          }
        }
        """;

    /// <summary>A deps file, an assets file and a packages folder with Serilog's nuspec and the runtime pack's hash file.</summary>
    internal static (string Deps, string Assets) Inputs(TempDirectory temp)
    {
        var packages = temp.Combine("packages");
        temp.WriteFile("packages/serilog/4.0.0/serilog.nuspec", """
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata><id>Serilog</id><version>4.0.0</version><license type="expression">Apache-2.0</license><projectUrl>https://serilog.example/</projectUrl></metadata>
            </package>
            """);
        temp.WriteFile("packages/microsoft.netcore.app.runtime.linux-x64/10.0.1/microsoft.netcore.app.runtime.linux-x64.10.0.1.nupkg.sha512", Hash);
        var deps = temp.WriteFile("publish/App.deps.json", DepsJson("AAAA"));
        var assets = temp.WriteFile("obj/project.assets.json", $$"""
            { "version": 3, "libraries": { "Serilog/4.0.0": { "sha512": "{{Hash}}", "type": "package" } },
              "packageFolders": { "{{packages.Replace("\\", "\\\\")}}/": {} },
              "project": { "version": "2.0.0", "restore": { "projectName": "App" } } }
            """);
        return (deps, assets);
    }

    [Fact]
    public void EveryLibraryThatShips_IsListed_WithTheAssetsHash_TheNuspecsLicence_AndTheGraph()
    {
        var (deps, assets) = Inputs(_temp);

        var components = AppGraphReader.Read(deps, assets, "ignored", "0");

        Assert.Equal(["Application App/2.0.0", "Package Serilog/4.0.0", "Project Lib/1.0.0", "Runtime Microsoft.NETCore.App.Runtime.linux-x64/10.0.1"],
            components.Select(c => $"{c.Kind} {c.Key}"));
        var serilog = components[1];
        Assert.Equal((HashHex, "Apache-2.0", "https://serilog.example/"), (serilog.Sha512, serilog.License, serilog.ProjectUrl));
        Assert.Equal(["Lib/1.0.0", "Microsoft.NETCore.App.Runtime.linux-x64/10.0.1", "Serilog/4.0.0"], components[0].DependsOn);
        Assert.Equal(["Serilog/4.0.0"], components[2].DependsOn);
        Assert.Equal(HashHex, components[3].Sha512);   // the runtime pack's hash from NuGet's file beside it
        Assert.True(components[3].IsNuGetPackage);
    }

    [Fact]
    public void WithoutAnAssetsFile_TheDepsFilesHashIsUsed()
    {
        var deps = _temp.WriteFile("publish/App.deps.json", DepsJson(Hash));

        var serilog = AppGraphReader.Read(deps, null, "App", "1.0.0").Single(c => c.Name == "Serilog");

        Assert.Equal(HashHex, serilog.Sha512);
        Assert.Null(serilog.License);
    }

    [Fact]
    public void ADepsFileThatIsNotJson_IsCONTAINER5601()
    {
        var deps = _temp.WriteFile("publish/App.deps.json", "{ not json");

        var error = Assert.Throws<ContainerException>(() => AppGraphReader.Read(deps, null, "App", "1.0.0"));

        Assert.Equal(ErrorCatalogue.SbomInputUnreadable, error.Error);
        Assert.Contains(deps, error.Message);
    }
}
